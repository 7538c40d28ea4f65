package dev.strongroom.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs h2load (nghttp2-client) for a fixed duration over HTTP/2 and reads its summary. */
final class H2Load {

    /** One load shape: connections, streams per connection, optional POST body and extra headers. */
    record Load(int connections, int streams, Path body, List<String> headers) {
        Load withHeader(String h) {
            List<String> hs = new ArrayList<>(headers);
            hs.add(h);
            return new Load(connections, streams, body, List.copyOf(hs));
        }
    }

    /**
     * What one run measured. {@code rps} counts every finished request; {@link #okRps} only the 2xx ones.
     *
     * @param cpuSecondsInProcess CPU this JVM (the server under test) used during the run
     * @param machineBusy         fraction of all cores busy during the run (server + h2load + anything else)
     */
    record Result(double seconds, double rps, long done, long ok2xx, long status4xx, long status5xx, long failed,
                  long errored, long dataBytes, double meanLatencyMs, String protocol,
                  double cpuSecondsInProcess, double machineBusy, String raw) {
        double okRps() { return done == 0 ? 0 : rps * Math.min(ok2xx, done) / done; }

        double bodyBytesPerRequest() { return done == 0 ? 0 : (double) dataBytes / done; }

        /** Server CPU microseconds per finished request. */
        double cpuMicrosPerRequest() { return done == 0 ? Double.NaN : cpuSecondsInProcess * 1e6 / done; }
    }

    private static final Pattern FINISHED = Pattern.compile("finished in ([\\d.]+)(ms|s), ([\\d.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");
    private static final Pattern STATUS = Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");
    private static final Pattern TRAFFIC = Pattern.compile("traffic: .*?, [\\d.]+\\w*B \\((\\d+)\\) data");
    private static final Pattern PROTOCOL = Pattern.compile("Application protocol: (\\S+)");
    private static final Pattern REQ_TIME = Pattern.compile("time for request:\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");

    private H2Load() {}

    /** Runs h2load against {@code url} for {@code seconds} (after {@code warmUpSeconds} not counted). */
    static Result run(String url, Load load, int seconds, int warmUpSeconds) {
        List<String> cmd = new ArrayList<>(List.of("h2load", "-t", "1",
                "-c", Integer.toString(load.connections()), "-m", Integer.toString(load.streams()),
                "-D", Integer.toString(seconds)));
        if (warmUpSeconds > 0) cmd.add("--warm-up-time=" + warmUpSeconds);
        return run(cmd, load, url, seconds + warmUpSeconds + 60L, true);
    }

    /**
     * Warms the JIT up by request count rather than time (a starved JVM compiles slowly), but gives up after
     * {@code maxSeconds}. Returns null if it was cut short.
     */
    static Result warmUp(String url, Load load, int requests, int maxSeconds) {
        List<String> cmd = new ArrayList<>(List.of("h2load", "-t", "1",
                "-c", Integer.toString(load.connections()), "-m", Integer.toString(load.streams()),
                "-n", Integer.toString(Math.max(requests, load.connections()))));
        return run(cmd, load, url, maxSeconds, false);
    }

    private static Result run(List<String> cmd, Load load, String url, long timeoutSeconds, boolean mustFinish) {
        for (String h : load.headers()) {
            cmd.add("-H");
            cmd.add(h);
        }
        if (load.body() != null) {
            cmd.add("-d");
            cmd.add(load.body().toString());
        }
        cmd.add(url);
        Cpu.Sample before = Cpu.sample();
        String out;
        int rc;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // Read the output on the side, so a run that overstays can be stopped.
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                if (!mustFinish) return null;
                throw new IllegalStateException("h2load did not finish in " + timeoutSeconds + " s: " + redact(cmd));
            }
            out = output.join();
            rc = p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run h2load (is nghttp2-client installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Cpu.Sample after = Cpu.sample();
        if (rc != 0) throw new IllegalStateException("h2load exited " + rc + " for " + redact(cmd) + ":\n" + out);
        Matcher fin = find(FINISHED, out, cmd);
        double secs = Double.parseDouble(fin.group(1)) / (fin.group(2).equals("ms") ? 1000 : 1);
        Matcher req = find(REQUESTS, out, cmd);
        Matcher st = find(STATUS, out, cmd);
        Matcher tr = find(TRAFFIC, out, cmd);
        Matcher proto = PROTOCOL.matcher(out);
        String protocol = proto.find() ? proto.group(1) : "?";
        Matcher rt = REQ_TIME.matcher(out);
        double mean = rt.find() ? millis(rt.group(3)) : Double.NaN;
        return new Result(secs, Double.parseDouble(fin.group(3)), Long.parseLong(req.group(3)), Long.parseLong(st.group(1)),
                Long.parseLong(st.group(3)), Long.parseLong(st.group(4)), Long.parseLong(req.group(5)),
                Long.parseLong(req.group(6)), Long.parseLong(tr.group(1)), mean, protocol,
                after.processSince(before), after.machineBusySince(before), out);
    }

    private static Matcher find(Pattern p, String out, List<String> cmd) {
        Matcher m = p.matcher(out);
        if (!m.find()) throw new IllegalStateException("unexpected h2load output for " + redact(cmd) + ":\n" + out);
        return m;
    }

    private static double millis(String v) {
        if (v.endsWith("us")) return Double.parseDouble(v.substring(0, v.length() - 2)) / 1000;
        if (v.endsWith("ms")) return Double.parseDouble(v.substring(0, v.length() - 2));
        if (v.endsWith("s")) return Double.parseDouble(v.substring(0, v.length() - 1)) * 1000;
        return Double.NaN;
    }

    /** The command line without the bearer token, for error messages. */
    static String redact(List<String> cmd) {
        return String.join(" ", cmd).replaceAll("(?i)(authorization: Bearer )\\S+", "$1<redacted>");
    }
}
