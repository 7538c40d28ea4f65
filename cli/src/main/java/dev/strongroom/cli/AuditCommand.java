package dev.strongroom.cli;

import dev.strongroom.server.audit.Redactor;
import dev.strongroom.server.audit.Verifier;
import dev.strongroom.server.init.DataDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strongroom audit verify|hmac}: work with the audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = {AuditCommand.Verify.class, AuditCommand.Hmac.class, CommandLine.HelpCommand.class},
        description = {"Check the audit log's integrity, or compute the HMAC a secret value appears as in it.", "See docs/audit.md."})
public final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Check an audit log against its hash chain and its signed checkpoint, across rotated files.",
                    "Reports the first deleted, inserted, altered or reordered event, a removed rotated file or a truncated log.", "",
                    "Exit status: 0 intact, 1 tampering or damage found, 2 cannot check (bad arguments, unreadable files, no key)."},
            footer = {"", "Examples:",
                    "  strongroom audit verify .strongroom/audit/audit*.log",
                    "  strongroom audit verify --public-key audit-checkpoint.pub /var/log/strongroom/audit*.log"})
    static final class Verify implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "The log and its rotated files, in any order.")
        List<Path> files;

        @Option(names = "--public-key", paramLabel = "FILE", description = "The installation's checkpoint public key (PEM). Default: <data-dir>/audit-checkpoint.pub.")
        Path publicKey;

        @Option(names = "--data-dir", defaultValue = "./.strongroom", description = "Where to find the public key if --public-key is not given (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--checkpoint", paramLabel = "FILE", description = "The signed checkpoint. Default: <log>.checkpoint next to the files.")
        Path checkpoint;

        @Override
        public Integer call() {
            try {
                for (Path f : files) {
                    if (!Files.isRegularFile(f)) {
                        System.err.println("strongroom audit verify: " + f + ": no such file");
                        return 2;
                    }
                }
                Path keyFile = publicKey != null ? publicKey : new DataDirectory(dataDir).auditCheckpointPublicKeyFile();
                if (!Files.exists(keyFile)) {
                    System.err.println("strongroom audit verify: no checkpoint public key at " + keyFile + " (give --public-key or --data-dir)");
                    return 2;
                }
                PublicKey key = DataDirectory.readAuditPublicKey(keyFile);
                Path cp = checkpoint != null ? checkpoint : Verifier.findCheckpoint(files);
                Verifier.Result r = Verifier.verify(files, cp, key);
                if (r.ok()) {
                    System.out.println(r.describe());
                    return 0;
                }
                System.out.println("audit log NOT intact: " + r.describe());
                return 1;
            } catch (IOException | RuntimeException e) {
                System.err.println("strongroom audit verify: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "hmac", mixinStandardHelpOptions = true,
            description = {"Print the hmac-sha256:<hex> a secret value appears as in this installation's audit events.",
                    "Reads the value from standard input (not the command line, which shells keep in history);",
                    "a trailing newline is not part of the value. Equal values give equal HMACs, so this finds",
                    "the events that carried a given value without the log ever holding it."},
            footer = {"", "Example:", "  printf %s 'mypassword' | strongroom audit hmac"})
    static final class Hmac implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "./.strongroom", description = "The installation whose audit key to use (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--base64", description = "The input is a Secret's data value (base64): HMAC the bytes it encodes, as the server does.")
        boolean base64;

        @Override
        public Integer call() {
            try {
                DataDirectory dir = new DataDirectory(dataDir);
                if (!Files.exists(dir.auditHmacKeyFile())) {
                    System.err.println("strongroom audit hmac: no audit key at " + dir.auditHmacKeyFile());
                    return 2;
                }
                byte[] in = System.in.readAllBytes();
                String s = new String(in, StandardCharsets.UTF_8);
                if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
                Redactor r = new Redactor(dir.ensureAuditHmacKey());
                System.out.println(base64 ? r.hmac(Base64.getDecoder().decode(s.strip())) : r.hmac(s));
                return 0;
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("strongroom audit hmac: " + e.getMessage());
                return 2;
            }
        }
    }
}
