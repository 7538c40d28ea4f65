package dev.strongroom.server.transport;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: either a complete body or a stream (watch). */
public sealed interface ApiResponse permits ApiResponse.Full, ApiResponse.Streaming {

    Map<String, String> headers();

    record Full(int status, String contentType, byte[] body, Map<String, String> headers) implements ApiResponse {
        public Full(int status, String contentType, byte[] body) { this(status, contentType, body, new LinkedHashMap<>()); }
    }

    /** A long-lived response. The transport sends the status and headers, then calls {@link Source#start}. */
    record Streaming(int status, String contentType, Source source, Map<String, String> headers) implements ApiResponse {}

    interface Source {
        void start(Sink sink);
    }

    /** Where a stream writes. Thread-safe; writes after close are dropped. */
    interface Sink {
        /** @return false if the client is not keeping up (the write was still queued) */
        boolean write(byte[] chunk);

        void end();

        /** Called once when the client goes away or the stream ends. */
        void onClose(Runnable r);
    }
}
