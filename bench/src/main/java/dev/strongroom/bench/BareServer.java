package dev.strongroom.bench;

import dev.strongroom.server.transport.HttpTransport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The read baselines: an HTTPS server on exactly the transport's stack (Vert.x, the same event-loop count, the same
 * TLS/ALPN/socket options and the same certificate) that answers each path with a fixed body and the same response
 * headers Strongroom sends, so the bytes on the wire match and only the server-side work differs.
 *
 * <p><b>Keep {@link #start} in step with {@code dev.strongroom.server.transport.HttpTransport#start}.</b>
 */
final class BareServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final Map<String, Buffer> bodies = new ConcurrentHashMap<>();

    private BareServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    static BareServer start(Path certFile, Path keyFile) throws Exception {
        // Exactly HttpTransport's Vert.x and HTTPS options (client-cert auth is off there too by default).
        Vertx vertx = Vertx.vertx(HttpTransport.vertxOptions());
        HttpServerOptions opts = HttpTransport.serverOptions("127.0.0.1", 0, certFile, keyFile);
        HttpServer server = vertx.createHttpServer(opts);
        BareServer bare = new BareServer(vertx, server);
        server.requestHandler(req -> {
            Buffer body = bare.bodies.get(req.path());
            var resp = req.response();
            if (body == null) {
                resp.setStatusCode(404).end();
                return;
            }
            // The same header set HttpTransport.writeFull sends (a fixed Audit-Id of the same length).
            resp.putHeader("Audit-Id", "00000000-0000-0000-0000-000000000000");
            resp.putHeader("Cache-Control", "no-cache, private");
            resp.putHeader("Content-Type", "application/json");
            resp.end(body);
        });
        server.listen().toCompletionStage().toCompletableFuture().get();
        return bare;
    }

    /** Serves {@code body} at {@code path} from now on. */
    void serve(String path, byte[] body) { bodies.put(path, Buffer.buffer(body)); }

    String url(String path) { return "https://127.0.0.1:" + server.actualPort() + path; }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
