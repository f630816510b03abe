package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fa.PersianNormalizationFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.Map;
import java.util.TreeMap;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

/**
 * The analysis components CMMS relies on, under their standard Elasticsearch names and parameters,
 * built on the Lucene classes the server already ships. Stock Elasticsearch provides them through the
 * analysis-common module, which Elastic does not publish to Maven Central.
 */
public class CmmsAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers = new TreeMap<>();
        analyzers.put("english", EnglishAnalyzerProvider::new);
        analyzers.put("stop", StopAnalyzerProvider::new);
        analyzers.put("simple", (index, env, name, settings) -> new FixedAnalyzerProvider<>(name, settings, new SimpleAnalyzer()));
        analyzers.put("whitespace", (index, env, name, settings) -> new FixedAnalyzerProvider<>(name, settings, new WhitespaceAnalyzer()));
        analyzers.put("keyword", (index, env, name, settings) -> new FixedAnalyzerProvider<>(name, settings, new KeywordAnalyzer()));
        return analyzers;
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> tokenizers = new TreeMap<>();
        tokenizers.put("whitespace", SimpleTokenizers::whitespace);
        tokenizers.put("keyword", SimpleTokenizers::keyword);
        return tokenizers;
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> filters = new TreeMap<>();
        filters.put("asciifolding", AsciiFoldingFactory::new);
        filters.put("stemmer", StemmerFactory::new);
        filters.put("porter_stem", (index, env, name, settings) -> new StreamFilterFactory(name, settings, PorterStemFilter::new));
        filters.put("kstem", (index, env, name, settings) -> new StreamFilterFactory(name, settings, KStemFilter::new));
        filters.put("word_delimiter_graph", WordDelimiterGraphFactory::new);
        filters.put("synonym", requiresAnalysisSettings((index, env, name, settings) -> new SynonymRulesFactory(env, name, settings, false)));
        filters.put("synonym_graph", requiresAnalysisSettings((index, env, name, settings) -> new SynonymRulesFactory(env, name, settings, true)));
        filters.put("edge_ngram", EdgeNgramFactory::new);
        filters.put("unique", (index, env, name, settings) -> UniqueTokenFilter.factory(name, settings));
        filters.put("trim", (index, env, name, settings) -> new NormalizingStreamFilterFactory(name, settings, TrimFilter::new));
        filters.put("length", (index, env, name, settings) -> new StreamFilterFactory(
            name, settings, in -> new LengthFilter(in, settings.getAsInt("min", 0), settings.getAsInt("max", Integer.MAX_VALUE))));
        filters.put("arabic_normalization",
            (index, env, name, settings) -> new NormalizingStreamFilterFactory(name, settings, ArabicNormalizationFilter::new));
        filters.put("persian_normalization",
            (index, env, name, settings) -> new NormalizingStreamFilterFactory(name, settings, PersianNormalizationFilter::new));
        filters.put("decimal_digit", (index, env, name, settings) -> new NormalizingStreamFilterFactory(name, settings, DecimalDigitFilter::new));
        filters.put("elision", ElisionFactory::create);
        return filters;
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> charFilters = new TreeMap<>();
        charFilters.put("mapping", requiresAnalysisSettings(MappingCharFilterFactory::new));
        charFilters.put("html_strip", HtmlStripFactory::new);
        return charFilters;
    }
}
