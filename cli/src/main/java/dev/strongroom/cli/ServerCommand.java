package dev.strongroom.cli;

import dev.strongroom.server.ServerOptions;
import dev.strongroom.server.authn.AuthenticationOptions;
import dev.strongroom.server.authn.GoDuration;
import dev.strongroom.server.StrongroomServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Runs the API server until interrupted. */
@Command(name = "server", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run the Strongroom API server (HTTPS, the Kubernetes API for secrets).", "",
                "On first start it initialises the data directory: a CA and serving certificate, a key-encryption key, the embedded store, and admin.kubeconfig holding a freshly generated admin token.",
                "Flag names follow kube-apiserver's where they mean the same thing.", ""},
        footer = {"", "Examples:",
                "  strongroom server",
                "  strongroom server --data-dir /var/lib/strongroom \\",
                "      --bind-address 0.0.0.0 --advertise-address 10.0.0.5",
                "  strongroom server --token-auth-file tokens.csv",
                "      (one user per line: token,user,uid,\"group1,group2\")",
                "  strongroom server --client-ca-file users-ca.crt --authentication-config authn.yaml",
                "      (client certificates and OIDC/JWT issuers; see docs/authentication.md)"})
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--bind-address", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}; loopback only).")
    String bindAddress;

    @Option(names = "--secure-port", defaultValue = "6443", description = "HTTPS port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int securePort;

    @Option(names = "--data-dir", defaultValue = "./.strongroom", description = "Where the store, keys, certificates and admin kubeconfig live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--advertise-address", description = "Address clients use: put into admin.kubeconfig and the generated certificate's SANs.")
    String advertiseAddress;

    @Option(names = "--tls-cert-file", description = "Serving certificate (PEM). Default: generated into the data directory.")
    Path tlsCertFile;

    @Option(names = "--tls-private-key-file", description = "Private key of --tls-cert-file (PEM).")
    Path tlsPrivateKeyFile;

    @Option(names = "--token-auth-file", description = "kube-apiserver static token file: token,user,uid,\"group1,group2\" per line.")
    Path tokenAuthFile;

    @Option(names = "--client-ca-file", description = "CA bundle (PEM) whose client certificates authenticate users: CN is the user name, each O a group.")
    Path clientCaFile;

    @Option(names = "--anonymous-auth", defaultValue = "false", arity = "0..1", description = "Serve requests without credentials as system:anonymous (default: ${DEFAULT-VALUE}).")
    boolean anonymousAuth;

    @Option(names = "--authentication-config", paramLabel = "FILE", description = "AuthenticationConfiguration file (apiserver.config.k8s.io/v1): JWT/OIDC issuers, including other clusters' service-account issuers. See docs/authentication.md.")
    Path authenticationConfig;

    @Option(names = "--service-account-issuer", paramLabel = "URL", description = "Issuer (iss) of the service-account tokens Strongroom mints; repeat to also accept tokens of earlier issuers (the first signs). Default: https://<advertise-address>:<secure-port>.")
    List<String> serviceAccountIssuers = new ArrayList<>();

    @Option(names = "--api-audiences", split = ",", paramLabel = "AUD", description = "Audiences a token must be meant for to log in here (comma-separated). Default: the service-account issuers.")
    List<String> apiAudiences = new ArrayList<>();

    @Option(names = "--service-account-max-token-expiration", paramLabel = "DURATION", description = "Longest validity a TokenRequest may get, e.g. 24h (between 1h and 2^32s). Default: no limit.")
    String serviceAccountMaxTokenExpiration;

    @Option(names = "--service-account-signing-key-file", paramLabel = "FILE", description = "PEM private key (RSA or ECDSA) that signs service-account tokens. Default: generated at init into <data-dir>/pki/sa.key.")
    Path serviceAccountSigningKeyFile;

    @Option(names = "--service-account-key-file", paramLabel = "FILE", description = "PEM file of further public keys (or certificates) that verify service-account tokens; repeatable (key rotation).")
    List<Path> serviceAccountKeyFiles = new ArrayList<>();

    @Option(names = "--service-account-jwks-uri", paramLabel = "URL", description = "jwks_uri published in /.well-known/openid-configuration. Default: https://<advertise-address>:<secure-port>/openid/v1/jwks.")
    String serviceAccountJwksUri;

    @picocli.CommandLine.Mixin
    AuditFlags audit = new AuditFlags();

    @Override
    public Integer call() throws Exception {
        if ((tlsCertFile == null) != (tlsPrivateKeyFile == null)) {
            System.err.println("strongroom server: --tls-cert-file and --tls-private-key-file go together");
            return 2;
        }
        Duration maxExpiration = null;
        if (serviceAccountMaxTokenExpiration != null && !serviceAccountMaxTokenExpiration.isEmpty()) {
            try {
                maxExpiration = GoDuration.parse(serviceAccountMaxTokenExpiration);
            } catch (IllegalArgumentException e) {
                System.err.println("strongroom server: --service-account-max-token-expiration: " + e.getMessage());
                return 2;
            }
        }
        AuthenticationOptions authn = new AuthenticationOptions(authenticationConfig, serviceAccountIssuers, apiAudiences,
                maxExpiration, serviceAccountSigningKeyFile, serviceAccountKeyFiles, serviceAccountJwksUri);
        ServerOptions o = new ServerOptions(bindAddress, securePort, dataDir, advertiseAddress, tlsCertFile,
                tlsPrivateKeyFile, tokenAuthFile, anonymousAuth, clientCaFile, authn).withAudit(audit.options());
        StrongroomServer server;
        try {
            server = StrongroomServer.start(o);
        } catch (IllegalStateException | IllegalArgumentException | java.io.IOException e) {
            System.err.println("strongroom server: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.err.println("Strongroom is ready at " + server.url());
        System.err.println("  export KUBECONFIG=" + server.dataDirectory().adminKubeconfig());
        stopped.await();
        return 0;
    }
}
