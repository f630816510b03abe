package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SynonymFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.List;
import java.util.function.Function;

/**
 * {@code synonym} and {@code synonym_graph}: rules from {@code synonyms} (inline list) or
 * {@code synonyms_path}, {@code format} solr (default) or wordnet, {@code expand} (default true),
 * {@code lenient} (default false), {@code updateable} (search-time only).
 *
 * Rules are analysed with the chain that precedes the filter (tokenizer, char filters and earlier token
 * filters), so "Cars, automobile" after lowercase+stemmer matches the stemmed tokens. That requires the
 * chain, hence the real filter is only built in {@link #getChainAwareTokenFilterFactory}.
 */
class SynonymRulesFactory extends AbstractTokenFilterFactory {

    private final Environment env;
    private final Settings settings;
    private final boolean graph;
    private final boolean expand;
    private final boolean lenient;
    private final boolean wordnet;
    private final AnalysisMode mode;

    SynonymRulesFactory(Environment env, String name, Settings settings, boolean graph) {
        super(name, settings);
        this.env = env;
        this.settings = settings;
        this.graph = graph;
        this.expand = settings.getAsBoolean("expand", true);
        this.lenient = settings.getAsBoolean("lenient", false);
        String format = settings.get("format", "solr");
        if (!"solr".equals(format) && !"wordnet".equals(format)) {
            throw new IllegalArgumentException("synonym filter [" + name + "]: unknown format [" + format + "]");
        }
        this.wordnet = "wordnet".equals(format);
        this.mode = settings.getAsBoolean("updateable", false) ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
        if (settings.get("synonyms_set") != null) {
            throw new IllegalArgumentException(
                "synonym filter [" + name + "]: synonyms_set needs the synonyms API, which this node lacks; use synonyms");
        }
        if (settings.get("synonyms") == null && settings.getAsList("synonyms").isEmpty() && settings.get("synonyms_path") == null) {
            throw new IllegalArgumentException(
                "synonym requires either `synonyms` or `synonyms_path` to be configured (filter [" + name + "])");
        }
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        throw new IllegalStateException("synonym filter [" + name() + "] can only be used inside an analyzer");
    }

    @Override
    public AnalysisMode getAnalysisMode() {
        return mode;
    }

    @Override
    public TokenFilterFactory getSynonymFilter() {
        // An earlier synonym filter does not take part in analysing a later filter's rules.
        return IDENTITY_FILTER;
    }

    @Override
    public TokenFilterFactory getChainAwareTokenFilterFactory(
        IndexCreationContext context,
        TokenizerFactory tokenizer,
        List<CharFilterFactory> charFilters,
        List<TokenFilterFactory> previousTokenFilters,
        Function<String, TokenFilterFactory> allFilters
    ) {
        List<TokenFilterFactory> ruleFilters = previousTokenFilters.stream().map(TokenFilterFactory::getSynonymFilter).toList();
        SynonymMap map;
        try (Analyzer ruleAnalyzer = new ChainAnalyzer(tokenizer, charFilters, ruleFilters)) {
            map = buildMap(ruleAnalyzer);
        }
        return new BuiltSynonymFilter(name(), settings, map, graph, mode);
    }

    private SynonymMap buildMap(Analyzer ruleAnalyzer) {
        SynonymMap.Parser parser = wordnet
            ? new LenientSynonymParsers.Wordnet(expand, lenient, ruleAnalyzer)
            : new LenientSynonymParsers.Solr(expand, lenient, ruleAnalyzer);
        try (Reader rules = rulesReader()) {
            parser.parse(rules);
            return parser.build();
        } catch (ParseException | IllegalArgumentException e) {
            // Lucene's ParseException only names the line; the cause says what was wrong with it.
            String detail = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage();
            throw new IllegalArgumentException("failed to build synonyms for filter [" + name() + "]: " + detail, e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read synonyms for filter [" + name() + "]", e);
        }
    }

    private Reader rulesReader() {
        List<String> inline = settings.getAsList("synonyms");
        if (!inline.isEmpty()) {
            return new StringReader(String.join("\n", inline));
        }
        return Analysis.getReaderFromFile(env, settings.get("synonyms_path"), "synonyms_path");
    }

    /** The synonym filter once its rules are compiled. */
    private static final class BuiltSynonymFilter extends AbstractTokenFilterFactory {
        private final SynonymMap map;
        private final boolean graph;
        private final AnalysisMode mode;

        BuiltSynonymFilter(String name, Settings settings, SynonymMap map, boolean graph, AnalysisMode mode) {
            super(name, settings);
            this.map = map;
            this.graph = graph;
            this.mode = mode;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            if (map.fst == null) {
                return tokenStream; // every rule was dropped (lenient) or the list was empty
            }
            // ignoreCase=false: case is the business of the filters before this one.
            return graph ? new SynonymGraphFilter(tokenStream, map, false) : new SynonymFilter(tokenStream, map, false);
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            return IDENTITY_FILTER;
        }

        @Override
        public AnalysisMode getAnalysisMode() {
            return mode;
        }
    }
}
