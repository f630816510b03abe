package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;

import java.util.function.UnaryOperator;

/** A token filter with no state beyond its parameters: wraps the stream with one Lucene filter. */
class StreamFilterFactory extends AbstractTokenFilterFactory {

    private final UnaryOperator<TokenStream> wrap;

    StreamFilterFactory(String name, Settings settings, UnaryOperator<TokenStream> wrap) {
        super(name, settings);
        this.wrap = wrap;
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return wrap.apply(tokenStream);
    }
}
