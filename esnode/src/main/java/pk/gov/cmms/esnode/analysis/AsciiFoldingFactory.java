package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;

/** {@code asciifolding}: parameter {@code preserve_original} (default false). */
class AsciiFoldingFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {

    private final boolean preserveOriginal;

    AsciiFoldingFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new ASCIIFoldingFilter(tokenStream, preserveOriginal);
    }

    @Override
    public TokenStream normalize(TokenStream tokenStream) {
        // A normalizer must yield exactly one token, so the unfolded original is never kept there.
        return new ASCIIFoldingFilter(tokenStream, false);
    }
}
