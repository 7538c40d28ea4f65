package dev.strongroom.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reference transcript (what a real kube-apiserver v1.28.7 printed, driven by kubectl v1.28.15), copied unchanged
 * from {@code shared/reference/kube-apiserver-transcripts/} into {@code src/test/resources/transcripts/}.
 *
 * <p>Format: {@code $ command} (a here-document continues the command up to its {@code Y} terminator), the output,
 * then {@code [exit N]}.
 */
record Transcript(String name, String command, String output, int exitCode) {
    private static final Pattern EXIT = Pattern.compile("^\\[exit (\\d+)]$");

    static Transcript load(String name) {
        return load(name, 0);
    }

    /**
     * @param extraCommandLines command lines after the first line (and after a here-document) that are part of the
     *                          command, e.g. {@code sleep 1; kubectl get …} in 56
     */
    static Transcript load(String name, int extraCommandLines) {
        String text = resource("/transcripts/" + name);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
        if (lines.isEmpty() || !lines.getFirst().startsWith("$ ")) throw new IllegalArgumentException(name + ": no '$ command' line");
        Matcher exit = EXIT.matcher(lines.getLast());
        if (!exit.matches()) throw new IllegalArgumentException(name + ": does not end with [exit N]");
        int i = 1;
        if (lines.getFirst().contains("<<'Y'")) {
            while (i < lines.size() && !lines.get(i).equals("Y")) i++;
            i++;
        }
        i += extraCommandLines;
        String command = String.join("\n", lines.subList(0, i)).substring(2);
        List<String> out = lines.subList(i, lines.size() - 1);
        return new Transcript(name, command, out.isEmpty() ? "" : String.join("\n", out) + "\n", Integer.parseInt(exit.group(1)));
    }

    /** The command's arguments after {@code kubectl}, split the way a POSIX shell splits simple words and quotes. */
    List<String> kubectlArgs() {
        List<String> words = shellWords(command);
        if (words.isEmpty() || !words.getFirst().equals("kubectl")) {
            throw new IllegalArgumentException(name + " is not a plain kubectl command: " + command);
        }
        return words.subList(1, words.size());
    }

    static String resource(String path) {
        try (InputStream in = Transcript.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("missing test resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Splits a command line into words: single quotes keep everything literally, double quotes allow {@code \"} and
     * {@code \\}, unquoted backslash escapes the next character. Pipes, redirections and substitutions are refused —
     * the tests that need them run the pieces themselves.
     */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case '\'' -> {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0) throw new IllegalArgumentException("unbalanced ' in " + line);
                    w.append(line, i + 1, end);
                    i = end;
                    inWord = true;
                }
                case '"' -> {
                    i++;
                    for (; i < line.length() && line.charAt(i) != '"'; i++) {
                        char d = line.charAt(i);
                        if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) d = line.charAt(++i);
                        else if (d == '$' || d == '`') throw new IllegalArgumentException("substitution in " + line);
                        w.append(d);
                    }
                    if (i >= line.length()) throw new IllegalArgumentException("unbalanced \" in " + line);
                    inWord = true;
                }
                case '\\' -> {
                    w.append(line.charAt(++i));
                    inWord = true;
                }
                case ' ', '\t' -> {
                    if (inWord) words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                case '|', '>', '<', ';', '&', '$', '`', '(', ')', '\n' ->
                        throw new IllegalArgumentException("not a simple command (" + c + "): " + line);
                default -> {
                    w.append(c);
                    inWord = true;
                }
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }
}
