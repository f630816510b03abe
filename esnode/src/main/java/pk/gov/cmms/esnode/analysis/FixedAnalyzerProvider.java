package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;

/** An analyzer without parameters ({@code simple}, {@code whitespace}, {@code keyword}). */
class FixedAnalyzerProvider<T extends Analyzer> extends AbstractIndexAnalyzerProvider<T> {

    private final T analyzer;

    FixedAnalyzerProvider(String name, Settings settings, T analyzer) {
        super(name, settings);
        this.analyzer = analyzer;
    }

    @Override
    public T get() {
        return analyzer;
    }
}
