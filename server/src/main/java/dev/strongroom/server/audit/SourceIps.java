package dev.strongroom.server.audit;

import dev.strongroom.server.transport.ApiRequest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * kube's {@code utilnet.SourceIPs}: the X-Forwarded-For addresses, then X-Real-Ip unless already listed, then the
 * connection's remote address unless it equals the last one. Invalid entries are skipped. Only the last address is
 * trustworthy; the others are whatever the client or its proxies wrote.
 */
final class SourceIps {
    private SourceIps() {}

    static List<String> of(ApiRequest req) {
        List<String> ips = new ArrayList<>(1);
        String xff = req.header("X-Forwarded-For");
        if (xff != null && !xff.isEmpty()) {
            for (String part : xff.split(",")) {
                String ip = parse(part.strip());
                if (ip != null) ips.add(ip);
            }
        }
        String real = req.header("X-Real-Ip");
        if (real != null && !real.isEmpty()) {
            String ip = parse(real);
            if (ip != null && !ips.contains(ip)) ips.add(ip);
        }
        String remote = parse(stripPort(req.remoteAddress()));
        if (remote != null && (ips.isEmpty() || !ips.get(ips.size() - 1).equals(remote))) ips.add(remote);
        return ips;
    }

    private static String stripPort(String a) {
        if (a == null) return null;
        if (a.startsWith("[")) {
            int e = a.indexOf(']');
            return e < 0 ? a : a.substring(1, e);
        }
        return a;
    }

    /**
     * Go's {@code net.ParseIP(s).String()}, or null if {@code s} is not an IP literal. Never resolves a name: only
     * strings made of IP-literal characters reach {@link InetAddress}.
     */
    static String parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) return null;
        boolean colon = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (colon && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!ok) return null;
        }
        if (!colon) return ipv4(s);
        try {
            InetAddress a = InetAddress.getByName(s);
            return a instanceof Inet6Address v6 ? compress(v6.getAddress()) : a.getHostAddress();
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    /** A dotted quad in Go's form (no leading zeros; Go rejects them), or null. Allocation-free for the common case. */
    private static String ipv4(String s) {
        int parts = 0, value = -1, digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255) return null;
                parts++;
                value = -1;
                digits = 0;
            } else {
                if (digits > 0 && value == 0) return null; // leading zero
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                digits++;
                if (digits > 3) return null;
            }
        }
        return parts == 4 ? s : null;
    }

    /** RFC 5952 text of an IPv6 address, as Go prints it ({@code ::1}, {@code fe80::1}). */
    static String compress(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
