package dev.strongroom.scan.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Turns command-line operands into {@link Source}s: files, directories (recursively, only
 * {@code *.yaml}, {@code *.yml} and {@code *.json}, skipping hidden folders such as {@code .git}),
 * and {@code -} for standard input.
 */
public final class InputCollector {
    private final InputStream stdin;

    public InputCollector(InputStream stdin) {
        this.stdin = stdin;
    }

    /** Thrown for an operand that names nothing readable: a usage error, not a finding. */
    public static final class InputException extends Exception {
        public InputException(String message) {
            super(message);
        }
    }

    public List<Source> collect(List<String> operands) throws InputException {
        List<Source> sources = new ArrayList<>();
        for (String operand : operands) {
            if (operand.equals("-")) {
                sources.add(new Source("<stdin>", readStdin(), true));
                continue;
            }
            Path path = Path.of(operand);
            if (Files.isDirectory(path)) {
                sources.addAll(walk(path));
            } else if (Files.isRegularFile(path)) {
                sources.add(new Source(display(path), read(path), true));
            } else {
                throw new InputException("no such file or directory: " + operand);
            }
        }
        return sources;
    }

    private List<Source> walk(Path dir) throws InputException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> matching = files
                    .filter(p -> !isHiddenBelow(dir, p))
                    .filter(Files::isRegularFile)
                    .filter(InputCollector::isManifestName)
                    .sorted()
                    .toList();
            List<Source> sources = new ArrayList<>(matching.size());
            for (Path p : matching) sources.add(new Source(display(p), read(p), false));
            return sources;
        } catch (IOException | UncheckedIOException e) {
            throw new InputException("cannot read directory " + dir + ": " + e.getMessage());
        }
    }

    private static boolean isHiddenBelow(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) return true;
        }
        return false;
    }

    static boolean isManifestName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static String display(Path p) {
        String s = p.normalize().toString();
        return s.isEmpty() ? "." : s;
    }

    private static String read(Path p) throws InputException {
        try {
            // Lenient decoding: a stray non-UTF-8 byte becomes U+FFFD and, at worst, a parse
            // finding for that document, instead of aborting the whole scan.
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot read " + p + ": " + e.getMessage());
        }
    }

    private String readStdin() throws InputException {
        try {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot read standard input: " + e.getMessage());
        }
    }
}
