package dev.strongroom.server;

import dev.strongroom.server.audit.AuditOptions;
import dev.strongroom.server.authn.AuthenticationOptions;

import java.nio.file.Path;

/**
 * How to run the server. Flag names in the CLI follow kube-apiserver's where the meaning is the same.
 *
 * @param advertiseAddress the address clients use (kubeconfig server URL and a certificate SAN); null for the bind address
 * @param tlsCertFile      serving certificate; null to generate one into the data directory
 * @param clientCaFile     CA whose client certificates authenticate users (CN = user, O = groups); null for none
 * @param authentication   the other authentication flags (JWT issuers, service-account tokens); null for defaults
 * @param audit            the audit flags (policy, log file, webhook, fail-closed); see docs/audit.md
 */
public record ServerOptions(String bindAddress, int securePort, Path dataDir, String advertiseAddress,
                            Path tlsCertFile, Path tlsPrivateKeyFile, Path tokenAuthFile, boolean anonymousAuth,
                            Path clientCaFile, AuthenticationOptions authentication, AuditOptions audit) {

    /** Without the audit options (the default audit trail). */
    public ServerOptions(String bindAddress, int securePort, Path dataDir, String advertiseAddress, Path tlsCertFile,
                         Path tlsPrivateKeyFile, Path tokenAuthFile, boolean anonymousAuth, Path clientCaFile,
                         AuthenticationOptions authentication) {
        this(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, tokenAuthFile, anonymousAuth,
                clientCaFile, authentication, AuditOptions.defaults());
    }

    /** Without the authentication options (defaults). */
    public ServerOptions(String bindAddress, int securePort, Path dataDir, String advertiseAddress, Path tlsCertFile,
                         Path tlsPrivateKeyFile, Path tokenAuthFile, boolean anonymousAuth, Path clientCaFile) {
        this(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, tokenAuthFile, anonymousAuth,
                clientCaFile, AuthenticationOptions.defaults());
    }

    public static ServerOptions defaults(Path dataDir) {
        return new ServerOptions("127.0.0.1", 6443, dataDir, null, null, null, null, false, null, AuthenticationOptions.defaults(), AuditOptions.defaults());
    }

    public ServerOptions withPort(int port) {
        return new ServerOptions(bindAddress, port, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, tokenAuthFile, anonymousAuth, clientCaFile, authentication, audit);
    }

    public ServerOptions withTokenAuthFile(Path f) {
        return new ServerOptions(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, f, anonymousAuth, clientCaFile, authentication, audit);
    }

    public ServerOptions withClientCaFile(Path f) {
        return new ServerOptions(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, tokenAuthFile, anonymousAuth, f, authentication, audit);
    }

    public ServerOptions withAnonymousAuth(boolean anonymous) {
        return new ServerOptions(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, tokenAuthFile, anonymous, clientCaFile, authentication, audit);
    }

    public ServerOptions withAuthentication(AuthenticationOptions a) {
        return new ServerOptions(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, tokenAuthFile, anonymousAuth, clientCaFile, a, audit);
    }

    public ServerOptions withAudit(AuditOptions a) {
        return new ServerOptions(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile, tlsPrivateKeyFile, tokenAuthFile, anonymousAuth, clientCaFile, authentication, a);
    }
}
