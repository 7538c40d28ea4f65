package dev.strongroom.scan;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs {@code strongroom scan} in-process with captured stdout/stderr and a given stdin. */
public final class CommandRunner {
    public record Run(int exitCode, String out, String err) {}

    public static Run withStdin(String stdin, ScanCommand.ClientFactory clients, String... args) {
        ScanCommand command = new ScanCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), clients);
        CommandLine cl = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    public static Run run(String... args) {
        return withStdin("", cmd -> {
            throw new AssertionError("this test must not connect to a cluster");
        }, args);
    }

    private CommandRunner() {}
}
