package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;

/** {@code edge_ngram}: {@code min_gram} (default 1), {@code max_gram} (default 2), {@code preserve_original}. */
class EdgeNgramFactory extends AbstractTokenFilterFactory {

    private final int minGram;
    private final int maxGram;
    private final boolean preserveOriginal;

    EdgeNgramFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        this.minGram = settings.getAsInt("min_gram", 1);
        this.maxGram = settings.getAsInt("max_gram", 2);
        this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        String side = settings.get("side", "front");
        if (!"front".equals(side)) {
            throw new IllegalArgumentException("edge_ngram [" + name + "]: only side=front is supported on this node");
        }
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new EdgeNGramTokenFilter(tokenStream, minGram, maxGram, preserveOriginal);
    }

    @Override
    public TokenFilterFactory getSynonymFilter() {
        throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
    }
}
