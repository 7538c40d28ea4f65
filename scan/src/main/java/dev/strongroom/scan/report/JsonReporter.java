package dev.strongroom.scan.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.scan.engine.ScanResult;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.rules.Finding;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Machine-readable report: {@code {summary, findings[], warnings[]}}, each finding with its rule,
 * severity, object, file, line, column, JSON Pointer, message, why, fix and suppression.
 */
final class JsonReporter implements Reporter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void write(ScanResult result, ReportOptions options, PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode summary = root.putObject("summary");
        summary.put("sources", result.sources());
        summary.put("objects", result.objects().size());
        summary.put("findings", result.findings().size() - result.suppressedCount());
        summary.put("suppressed", result.suppressedCount());
        summary.put("skippedDocuments", result.skippedDocuments());
        if (options.failOn() != null) {
            summary.put("failOn", options.failOn().label());
            summary.put("failing", result.active(options.failOn()));
        }
        ArrayNode findings = root.putArray("findings");
        for (Finding f : result.findings()) {
            ObjectNode n = findings.addObject();
            n.put("ruleId", f.rule().id());
            n.put("severity", f.severity().label());
            n.put("title", f.rule().title());
            n.put("message", f.message());
            KubeObject o = f.object();
            ObjectNode obj = n.putObject("object");
            obj.put("apiVersion", o.apiVersion());
            obj.put("kind", o.kind());
            if (!o.namespace().isEmpty()) obj.put("namespace", o.namespace());
            obj.put("name", o.name());
            ObjectNode loc = n.putObject("location");
            loc.put("file", o.origin());
            loc.put("line", f.position().line());
            loc.put("column", f.position().column());
            loc.put("path", o.base() + f.pointer());
            n.put("why", f.rule().why());
            n.put("fix", f.rule().fix());
            ArrayNode refs = n.putArray("references");
            f.rule().references().forEach(refs::add);
            n.put("suppressed", f.suppressed());
            if (f.suppressed()) n.put("suppressionReason", f.suppression());
        }
        ArrayNode warnings = root.putArray("warnings");
        result.warnings().forEach(warnings::add);
        try {
            out.println(JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }
}
