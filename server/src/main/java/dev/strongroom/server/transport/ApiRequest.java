package dev.strongroom.server.transport;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One HTTP request as the layers above transport see it: fully read, independent of Vert.x.
 *
 * @param query   decoded query parameters (first value of each)
 * @param headers    case-insensitive header lookup, all values
 * @param auditId    the request's {@code Audit-Id} (also sent as a response header)
 * @param requestUri path and raw query as received
 */
public record ApiRequest(String method, String path, Map<String, String> query,
                         Function<String, List<String>> headers, byte[] body, String remoteAddress,
                         List<X509Certificate> clientCertificates, java.util.Set<String> headerNames, String auditId,
                         String requestUri, Function<String, String> firstHeader) {

    public ApiRequest(String method, String path, Map<String, String> query, Function<String, List<String>> headers,
                      byte[] body, String remoteAddress, List<X509Certificate> clientCertificates, java.util.Set<String> headerNames,
                      String auditId, String requestUri) {
        this(method, path, query, headers, body, remoteAddress, clientCertificates, headerNames, auditId, requestUri, null);
    }

    public ApiRequest(String method, String path, Map<String, String> query, Function<String, List<String>> headers,
                      byte[] body, String remoteAddress, List<X509Certificate> clientCertificates) {
        this(method, path, query, headers, body, remoteAddress, clientCertificates, java.util.Set.of(), "", path);
    }

    public String header(String name) {
        if (firstHeader != null) return firstHeader.apply(name); // no list allocated per lookup
        List<String> v = headers.apply(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> headerValues(String name) {
        List<String> v = headers.apply(name);
        return v == null ? List.of() : v;
    }

    public String param(String name) { return query.get(name); }

    public boolean hasClientCertificate() { return clientCertificates != null && !clientCertificates.isEmpty(); }

    public String userAgent() {
        String ua = header("User-Agent");
        return ua == null ? "" : ua;
    }
}
