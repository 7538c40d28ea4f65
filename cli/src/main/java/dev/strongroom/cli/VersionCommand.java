package dev.strongroom.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints the Strongroom version and the Kubernetes API version it serves. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the Strongroom version and the Kubernetes API version it serves.")
public final class VersionCommand implements Runnable {
    @Override
    public void run() {
        for (String line : new Provider().getVersion()) System.out.println(line);
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"strongroom " + (v == null ? "development build" : v),
                    "Kubernetes API v" + dev.strongroom.server.StrongroomServer.KUBERNETES_MAJOR + "."
                            + dev.strongroom.server.StrongroomServer.KUBERNETES_MINOR};
        }
    }
}
