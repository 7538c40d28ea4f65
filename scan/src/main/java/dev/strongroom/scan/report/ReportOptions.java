package dev.strongroom.scan.report;

import dev.strongroom.scan.rules.Severity;

/**
 * How to render a report.
 *
 * @param failOn the {@code --fail-on} threshold (null = none): JUnit marks findings at or above it as failures
 * @param color  ANSI colours (only when writing to a terminal)
 * @param brief  leave out "why" and "fix" in the table
 */
public record ReportOptions(Severity failOn, boolean color, boolean brief) {}
