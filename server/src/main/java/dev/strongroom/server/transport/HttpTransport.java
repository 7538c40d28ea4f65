package dev.strongroom.server.transport;

import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.json.Json;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import dev.strongroom.server.authn.x509.ClientCertificateAuthenticator;
import dev.strongroom.server.authn.x509.RequestClientCertTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTPS only (TLS 1.2+), HTTP/2 and HTTP/1.1 by ALPN, on Vert.x. Reads each request body (bounded), hands a
 * transport-free {@link ApiRequest} to the {@link Handler} and writes its {@link ApiResponse}.
 *
 * <p>Threading: requests the handler declares non-blocking (reads served from memory) run on the event loop; all
 * others (writes that wait for fsync) run on virtual threads, so a slow disk never stalls the event loop.
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);

    /** kube-apiserver's limit for request bodies. */
    public static final int MAX_REQUEST_BODY = 3 * 1024 * 1024;

    public interface Handler {
        /** True if {@code handle} may run on the event loop for this request (never blocks). */
        boolean nonBlocking(String method, String path, Map<String, String> query);

        ApiResponse handle(ApiRequest request);
    }

    public record TlsFiles(Path certFile, Path keyFile, Path clientCaFile) {}

    private final Vertx vertx;
    private final HttpServer server;
    private final ExecutorService blockingExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final Handler handler;
    /** Without a client CA no certificate is asked for: skip the per-request (exception-throwing) lookup. */
    private boolean requestsClientCertificates;

    private HttpTransport(Vertx vertx, HttpServer server, Handler handler) {
        this.vertx = vertx;
        this.server = server;
        this.handler = handler;
    }

    public static HttpTransport start(String host, int port, TlsFiles tls, Handler handler) {
        Vertx vertx = Vertx.vertx(vertxOptions());
        HttpServerOptions opts = serverOptions(host, port, tls.certFile(), tls.keyFile());
        if (tls.clientCaFile() != null) {
            // Ask for client certificates but accept any at the TLS layer: authentication verifies them and answers a
            // bad one with kube-apiserver's 401, instead of a handshake failure kubectl reports obscurely.
            try {
                opts.setClientAuth(ClientAuth.REQUEST).setTrustOptions(io.vertx.core.net.TrustOptions.wrap(
                        new RequestClientCertTrustManager(ClientCertificateAuthenticator.readBundle(tls.clientCaFile()))));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read --client-ca-file " + tls.clientCaFile() + ": " + e.getMessage(), e);
            }
        }
        HttpServer server = vertx.createHttpServer(opts);
        HttpTransport t = new HttpTransport(vertx, server, handler);
        t.requestsClientCertificates = tls.clientCaFile() != null;
        server.requestHandler(t::onRequest);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            vertx.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
        }
        return t;
    }

    /** The event-loop setup; public so benchmarks can run their baseline on exactly the same stack. */
    public static VertxOptions vertxOptions() {
        return new VertxOptions().setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** HTTPS only, TLS 1.2+, h2 and http/1.1 by ALPN; shared with benchmarks' bare baseline servers. */
    public static HttpServerOptions serverOptions(String host, int port, Path certFile, Path keyFile) {
        return new HttpServerOptions()
                .setHost(host).setPort(port)
                .setSsl(true).setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()))
                .setCompressionSupported(false)
                .setTcpNoDelay(true)
                .setMaxFormAttributeSize(-1);
    }

    public int port() { return server.actualPort(); }

    private void onRequest(HttpServerRequest req) {
        Context ctx = vertx.getOrCreateContext();
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        req.handler(chunk -> {
            if (tooLarge[0]) return;
            if (body.length() + chunk.length() > MAX_REQUEST_BODY) {
                tooLarge[0] = true;
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(e -> log.debug("request stream error: {}", e.toString()));
        req.endHandler(v -> {
            String auditId = auditId();
            if (tooLarge[0]) {
                writeFull(ctx, req.response(), auditId, error(ApiException.requestEntityTooLarge(
                        "the request body is larger than the limit of " + MAX_REQUEST_BODY + " bytes"), false));
                return;
            }
            ApiRequest request;
            try {
                request = toApiRequest(req, body.getBytes(), auditId);
            } catch (RuntimeException e) {
                writeFull(ctx, req.response(), auditId, error(ApiException.badRequest("malformed request: " + e.getMessage()), false));
                return;
            }
            Map<String, String> q = request.query();
            if (handler.nonBlocking(request.method(), request.path(), q)) {
                respond(ctx, req.response(), auditId, request);
            } else {
                blockingExecutor.execute(() -> respond(ctx, req.response(), auditId, request));
            }
        });
    }

    private void respond(Context ctx, HttpServerResponse resp, String auditId, ApiRequest request) {
        ApiResponse r;
        try {
            r = handler.handle(request);
        } catch (ApiException e) {
            r = error(e, Pretty.wanted(request));
        } catch (RuntimeException e) {
            log.error("internal error serving {} {}", request.method(), request.path(), e);
            r = error(ApiException.internal("an unexpected error occurred; see the server log"), Pretty.wanted(request));
        }
        if (r instanceof ApiResponse.Full f) writeFull(ctx, resp, auditId, f);
        else stream(ctx, resp, auditId, (ApiResponse.Streaming) r);
    }

    public static ApiResponse.Full error(ApiException e, boolean pretty) {
        return new ApiResponse.Full(e.code(), MediaTypes.JSON, jsonBody(e.toStatus(), pretty));
    }

    /** JSON as Go's json.Encoder writes it: followed by a newline. */
    public static byte[] jsonBody(com.fasterxml.jackson.databind.JsonNode node, boolean pretty) {
        byte[] b = pretty ? Pretty.bytes(node) : Json.bytes(node);
        byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
        out[b.length] = '\n';
        return out;
    }

    private static final java.time.format.DateTimeFormatter HTTP_DATE =
            java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC);

    /** Go's http.TimeFormat, which net/http sends in every response's Date header. */
    static String httpDate() { return HTTP_DATE.format(java.time.Instant.now()); }

    private void writeFull(Context ctx, HttpServerResponse resp, String auditId, ApiResponse.Full f) {
        Runnable w = () -> {
            if (resp.closed() || resp.ended()) return;
            resp.setStatusCode(f.status());
            resp.putHeader("Audit-Id", auditId);
            resp.putHeader("Cache-Control", "no-cache, private");
            resp.putHeader("Date", httpDate());
            if (f.status() == 403) resp.putHeader("X-Content-Type-Options", "nosniff"); // as kube-apiserver's Forbidden writer
            if (f.contentType() != null) resp.putHeader("Content-Type", f.contentType());
            f.headers().forEach(resp::putHeader);
            resp.end(Buffer.buffer(f.body()));
        };
        if (ctx.isEventLoopContext() && Context.isOnEventLoopThread() && Vertx.currentContext() == ctx) w.run();
        else ctx.runOnContext(v -> w.run());
    }

    private void stream(Context ctx, HttpServerResponse resp, String auditId, ApiResponse.Streaming s) {
        AtomicBoolean closed = new AtomicBoolean();
        List<Runnable> closeHooks = new ArrayList<>();
        Runnable fireClose = () -> {
            if (closed.compareAndSet(false, true)) {
                List<Runnable> hooks;
                synchronized (closeHooks) { hooks = new ArrayList<>(closeHooks); }
                hooks.forEach(Runnable::run);
            }
        };
        ApiResponse.Sink sink = new ApiResponse.Sink() {
            @Override
            public boolean write(byte[] chunk) {
                if (closed.get()) return true;
                boolean full = resp.writeQueueFull();
                ctx.runOnContext(v -> {
                    if (!resp.closed() && !resp.ended()) resp.write(Buffer.buffer(chunk));
                });
                return !full;
            }

            @Override
            public void end() {
                ctx.runOnContext(v -> {
                    if (!resp.closed() && !resp.ended()) resp.end();
                    fireClose.run();
                });
            }

            @Override
            public void onClose(Runnable r) {
                synchronized (closeHooks) { closeHooks.add(r); }
                if (closed.get()) r.run();
            }
        };
        ctx.runOnContext(v -> {
            resp.setStatusCode(s.status());
            resp.putHeader("Audit-Id", auditId);
            resp.putHeader("Cache-Control", "no-cache, private");
            resp.putHeader("Date", httpDate());
            resp.putHeader("Content-Type", s.contentType());
            s.headers().forEach(resp::putHeader);
            resp.setChunked(true); // HTTP/1.1 needs it; a no-op on HTTP/2
            resp.closeHandler(x -> fireClose.run());
            resp.exceptionHandler(x -> fireClose.run());
            // Flush the headers now: kubectl waits for them before it shows anything.
            resp.writeHead();
            s.source().start(sink);
        });
    }

    /** A random UUID (v4 layout) for correlation; it needs uniqueness, not unpredictability, so no SecureRandom. */
    static String auditId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    private ApiRequest toApiRequest(HttpServerRequest req, byte[] body, String auditId) {
        Map<String, String> query = new HashMap<>();
        req.params().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
        var headers = req.headers();
        List<X509Certificate> certs = List.of();
        if (requestsClientCertificates && req.isSSL()) {
            try {
                List<Certificate> peer = req.connection().sslSession() == null ? List.of()
                        : List.of(req.connection().sslSession().getPeerCertificates());
                List<X509Certificate> x = new ArrayList<>();
                for (Certificate c : peer) if (c instanceof X509Certificate xc) x.add(xc);
                certs = List.copyOf(x);
            } catch (SSLPeerUnverifiedException e) {
                certs = List.of(); // no client certificate presented
            }
        }
        String remote = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
        // Header names are needed only for impersonation extras: a lazy view, not a set built per request.
        java.util.Set<String> names = new java.util.AbstractSet<>() {
            @Override public java.util.Iterator<String> iterator() { return headers.names().iterator(); }
            @Override public int size() { return headers.names().size(); }
        };
        return new ApiRequest(req.method().name(), req.path(), java.util.Collections.unmodifiableMap(query), headers::getAll, body, remote, certs, names, auditId, req.uri(), headers::get);
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            log.debug("error closing server: {}", e.toString());
        }
        blockingExecutor.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            log.debug("error closing vertx: {}", e.toString());
        }
    }
}
