package dev.strongroom.scan.report;

import dev.strongroom.scan.engine.ScanResult;
import java.io.PrintWriter;

/** Renders a scan result in one output format. */
public interface Reporter {
    void write(ScanResult result, ReportOptions options, PrintWriter out);
}
