package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;

import java.util.function.UnaryOperator;

/** Same as StreamFilterFactory, but also allowed in keyword normalizers (one token in, one token out). */
class NormalizingStreamFilterFactory extends StreamFilterFactory implements NormalizingTokenFilterFactory {

    NormalizingStreamFilterFactory(String name, Settings settings, UnaryOperator<TokenStream> wrap) {
        super(name, settings, wrap);
    }
}
