package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.TokenizerFactory;

/** {@code whitespace} ({@code max_token_length}, default 255) and {@code keyword} ({@code buffer_size}, default 256). */
final class SimpleTokenizers {

    private SimpleTokenizers() {}

    static TokenizerFactory whitespace(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        int maxTokenLength = settings.getAsInt("max_token_length", 255);
        return TokenizerFactory.newFactory(
            name, () -> new WhitespaceTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxTokenLength));
    }

    static TokenizerFactory keyword(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        int bufferSize = settings.getAsInt("buffer_size", 256);
        return TokenizerFactory.newFactory(name, () -> new KeywordTokenizer(bufferSize));
    }
}
