package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.TokenFilterFactory;

/** {@code elision}: {@code articles} / {@code articles_path} / {@code articles_case}; French articles by default. */
final class ElisionFactory {

    private ElisionFactory() {}

    static TokenFilterFactory create(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        CharArraySet parsed = Analysis.parseArticles(env, settings);
        CharArraySet articles = parsed == null ? FrenchAnalyzer.DEFAULT_ARTICLES : parsed;
        return new NormalizingStreamFilterFactory(name, settings, in -> new ElisionFilter(in, articles));
    }
}
