package dev.strongroom.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;

import java.io.UncheckedIOException;

/**
 * kube-apiserver indents JSON for humans: with {@code ?pretty=true}, or when the User-Agent is curl or Wget
 * (apiserver {@code isPrettyPrint}). The reference transcripts show the indented form for curl.
 */
public final class Pretty {
    private Pretty() {}

    public static boolean wanted(ApiRequest r) {
        String p = r.param("pretty");
        if (p != null) return p.equals("true") || p.equals("1");
        String ua = r.userAgent();
        return ua.startsWith("curl") || ua.startsWith("Wget");
    }

    public static byte[] bytes(JsonNode node) {
        try {
            // Go's json.MarshalIndent with two spaces, no space before the colon.
            return Json.MAPPER.writer(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                    .withObjectIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n"))
                    .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER)
                            .withObjectEmptySeparator("").withArrayEmptySeparator("")))
                    .writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
