package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.TokenFilterFactory;

import java.util.Set;

/**
 * {@code word_delimiter_graph} with the documented boolean flags, {@code protected_words}
 * (or {@code protected_words_path}) and {@code adjust_offsets}. {@code type_table} is not supported.
 */
class WordDelimiterGraphFactory extends AbstractTokenFilterFactory {

    private final int flags;
    private final boolean adjustOffsets;
    private final CharArraySet protectedWords;

    WordDelimiterGraphFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        if (settings.get("type_table") != null || settings.get("type_table_path") != null) {
            throw new IllegalArgumentException("word_delimiter_graph [" + name + "]: type_table is not supported on this node");
        }
        int f = 0;
        f |= flag(settings, "generate_word_parts", true, WordDelimiterGraphFilter.GENERATE_WORD_PARTS);
        f |= flag(settings, "generate_number_parts", true, WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS);
        f |= flag(settings, "catenate_words", false, WordDelimiterGraphFilter.CATENATE_WORDS);
        f |= flag(settings, "catenate_numbers", false, WordDelimiterGraphFilter.CATENATE_NUMBERS);
        f |= flag(settings, "catenate_all", false, WordDelimiterGraphFilter.CATENATE_ALL);
        f |= flag(settings, "split_on_case_change", true, WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE);
        f |= flag(settings, "preserve_original", false, WordDelimiterGraphFilter.PRESERVE_ORIGINAL);
        f |= flag(settings, "split_on_numerics", true, WordDelimiterGraphFilter.SPLIT_ON_NUMERICS);
        f |= flag(settings, "stem_english_possessive", true, WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE);
        f |= flag(settings, "ignore_keywords", false, WordDelimiterGraphFilter.IGNORE_KEYWORDS);
        this.flags = f;
        this.adjustOffsets = settings.getAsBoolean("adjust_offsets", true);
        Set<?> words = Analysis.getWordSet(env, settings, "protected_words");
        this.protectedWords = words == null ? null : CharArraySet.copy(words);
    }

    private static int flag(Settings settings, String key, boolean defaultValue, int bit) {
        return settings.getAsBoolean(key, defaultValue) ? bit : 0;
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new WordDelimiterGraphFilter(
            tokenStream, adjustOffsets, WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE, flags, protectedWords);
    }

    @Override
    public TokenFilterFactory getSynonymFilter() {
        // Same rule as stock Elasticsearch: this filter may not sit before a synonym filter.
        throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
    }
}
