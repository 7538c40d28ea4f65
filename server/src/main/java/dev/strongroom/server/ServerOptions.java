package dev.strongroom.server;

import java.nio.file.Path;

/**
 * How to run the server. Flag names in the CLI follow kube-apiserver's where the meaning is the same.
 *
 * @param advertiseAddress the address clients use (kubeconfig server URL and a certificate SAN); null for the bind address
 * @param tlsCertFile      serving certificate; null to generate one into the data directory
 * @param clientCaFile     CA whose client certificates authenticate users (CN = user, O = groups); null for none
 */
public record ServerOptions(String bindAddress, int securePort, Path dataDir, String advertiseAddress,
                            Path tlsCertFile, Path tlsPrivateKeyFile, Path tokenAuthFile, boolean anonymousAuth,
                            Path clientCaFile) {

    public static ServerOptions defaults(Path dataDir) {
        return new ServerOptions("127.0.0.1", 6443, dataDir, null, null, null, null, false, null);
    }

    public ServerOptions withPort(int port) {
        return new ServerOptions(bindAddress, port, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, tokenAuthFile, anonymousAuth, clientCaFile);
    }

    public ServerOptions withTokenAuthFile(Path f) {
        return new ServerOptions(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, f, anonymousAuth, clientCaFile);
    }
}
