package dev.strongroom.scan.input;

/** A document that could not be parsed; the scan goes on with the next one. */
public record ParseProblem(String origin, Position position, String message) {}
