package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.core.StopAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;

/** {@code stop}: letter tokenizer, lowercase, stop words ({@code stopwords}, default {@code _english_}). */
class StopAnalyzerProvider extends FixedAnalyzerProvider<StopAnalyzer> {

    StopAnalyzerProvider(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings, new StopAnalyzer(Analysis.parseStopWords(env, settings, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET)));
    }
}
