package dev.strongroom.server;

import java.nio.file.Path;

/**
 * How to run the server. Flag names in the CLI follow kube-apiserver's where the meaning is the same.
 *
 * @param advertiseAddress the address clients use (kubeconfig server URL and a certificate SAN); null for the bind address
 * @param tlsCertFile      serving certificate; null to generate one into the data directory
 */
public record ServerOptions(String bindAddress, int securePort, Path dataDir, String advertiseAddress,
                            Path tlsCertFile, Path tlsPrivateKeyFile, Path tokenAuthFile, boolean anonymousAuth) {

    public static ServerOptions defaults(Path dataDir) {
        return new ServerOptions("127.0.0.1", 6443, dataDir, null, null, null, null, false);
    }

    public ServerOptions withPort(int port) {
        return new ServerOptions(bindAddress, port, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, tokenAuthFile, anonymousAuth);
    }

    public ServerOptions withTokenAuthFile(Path f) {
        return new ServerOptions(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, f, anonymousAuth);
    }
}
