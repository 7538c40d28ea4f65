package dev.strongroom.scan.input;

import java.util.ArrayList;
import java.util.List;

/** What loading one or more sources produced: parsed documents and the ones that failed. */
public final class LoadResult {
    private final List<LoadedDocument> documents = new ArrayList<>();
    private final List<ParseProblem> problems = new ArrayList<>();

    public List<LoadedDocument> documents() {
        return documents;
    }

    public List<ParseProblem> problems() {
        return problems;
    }
}
