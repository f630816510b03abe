package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

import java.io.Reader;
import java.util.List;

/** An analyzer assembled from factories; used to analyse synonym rules with the filter's own chain. */
final class ChainAnalyzer extends Analyzer {

    private final TokenizerFactory tokenizer;
    private final List<CharFilterFactory> charFilters;
    private final List<TokenFilterFactory> tokenFilters;

    ChainAnalyzer(TokenizerFactory tokenizer, List<CharFilterFactory> charFilters, List<TokenFilterFactory> tokenFilters) {
        this.tokenizer = tokenizer;
        this.charFilters = List.copyOf(charFilters);
        this.tokenFilters = List.copyOf(tokenFilters);
    }

    @Override
    protected Reader initReader(String fieldName, Reader reader) {
        Reader filtered = reader;
        for (CharFilterFactory charFilter : charFilters) {
            filtered = charFilter.create(filtered);
        }
        return filtered;
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = tokenizer.create();
        TokenStream stream = source;
        for (TokenFilterFactory filter : tokenFilters) {
            stream = filter.create(stream);
        }
        return new TokenStreamComponents(source, stream);
    }
}
