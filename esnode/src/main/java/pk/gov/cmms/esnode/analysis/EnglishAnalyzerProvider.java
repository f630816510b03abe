package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;

/**
 * {@code english}: standard tokenizer, possessive, lowercase, stop ({@code stopwords}/{@code stopwords_path},
 * default {@code _english_}), keyword marker ({@code stem_exclusion}), Porter stemmer. Lucene's
 * EnglishAnalyzer is exactly that chain.
 */
class EnglishAnalyzerProvider extends FixedAnalyzerProvider<EnglishAnalyzer> {

    EnglishAnalyzerProvider(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings, new EnglishAnalyzer(
            org.elasticsearch.index.analysis.Analysis.parseStopWords(env, settings, EnglishAnalyzer.getDefaultStopSet()),
            org.elasticsearch.index.analysis.Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET)));
    }
}
