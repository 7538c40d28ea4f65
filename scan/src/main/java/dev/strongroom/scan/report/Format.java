package dev.strongroom.scan.report;

/** The {@code --format} values. */
public enum Format {
    TABLE(new TableReporter()), JSON(new JsonReporter()), SARIF(new SarifReporter()), JUNIT(new JUnitReporter());

    private final Reporter reporter;

    Format(Reporter reporter) {
        this.reporter = reporter;
    }

    public Reporter reporter() {
        return reporter;
    }
}
