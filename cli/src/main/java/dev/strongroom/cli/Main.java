package dev.strongroom.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strongroom} command. Each verb is one class. */
@Command(name = "strongroom", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = {"A secrets manager that speaks the Kubernetes API.", "",
                "Start a server with @|bold strongroom server|@, then point kubectl at the admin kubeconfig it writes:",
                "  export KUBECONFIG=$PWD/.strongroom/admin.kubeconfig",
                "  kubectl create secret generic my-secret --from-literal=password=s3cr3t", ""},
        subcommands = {ServerCommand.class, WhoCanCommand.class, AuditCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("scan", new dev.strongroom.scan.ScanCommand());
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }
}
