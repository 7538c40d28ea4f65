package dev.strongroom.scan.engine;

import dev.strongroom.scan.input.DocumentLoader;
import dev.strongroom.scan.input.FlagsFileLoader;
import dev.strongroom.scan.input.LoadResult;
import dev.strongroom.scan.input.LoadedDocument;
import dev.strongroom.scan.input.ParseProblem;
import dev.strongroom.scan.input.Source;
import dev.strongroom.scan.model.KubeObject;
import dev.strongroom.scan.model.ObjectExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses sources into objects; one bad document never stops the others. */
public final class InputLoader {
    // DocumentLoader is not thread-safe (it reuses one SnakeYAML instance): one per worker thread.
    private static final ThreadLocal<DocumentLoader> LOADERS = ThreadLocal.withInitial(DocumentLoader::new);

    public LoadedInputs load(List<Source> sources, boolean live, List<String> warnings) {
        List<KubeObject> objects = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        int skipped = 0;
        // Sources parse independently, so they parse in parallel; results are consumed in input order.
        List<LoadResult> results = sources.parallelStream().map(InputLoader::parse).toList();
        for (LoadResult result : results) {
            problems.addAll(result.problems());
            for (LoadedDocument doc : result.documents()) {
                if (!ObjectExtractor.extract(doc, live, objects::add)) skipped++;
            }
        }
        return new LoadedInputs(objects, problems, sources.size(), skipped, List.copyOf(warnings));
    }

    private static LoadResult parse(Source source) {
        if (source.explicit() && !isManifestName(source.name()) && FlagsFileLoader.looksLikeFlags(source.text())
                && !source.text().contains("apiVersion")) {
            // A systemd unit or /etc/default file named on the command line: read its flags.
            LoadResult flags = new LoadResult();
            flags.documents().add(FlagsFileLoader.load(source.name(), source.text()));
            return flags;
        }
        return LOADERS.get().load(source.name(), source.text());
    }

    private static boolean isManifestName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json") || n.equals("<stdin>");
    }
}
