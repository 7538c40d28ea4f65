package dev.strongroom.scan.input;

/** A named text to scan: a file (its path as given), standard input, or a rendered live object. */
public record Source(String name, String text, boolean explicit) {}
