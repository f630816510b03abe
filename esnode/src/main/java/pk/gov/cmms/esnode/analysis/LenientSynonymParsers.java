package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.WordnetSynonymParser;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;

import java.io.IOException;

/**
 * Lucene's rule parsers, plus the documented {@code lenient} behaviour: a rule term that the chain
 * cannot turn into a token (e.g. a stop word) drops that mapping instead of failing index creation.
 */
final class LenientSynonymParsers {

    private LenientSynonymParsers() {}

    private static final CharsRef SKIPPED = new CharsRef("");

    static final class Solr extends SolrSynonymParser {
        private final boolean lenient;

        Solr(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
            try {
                return super.analyze(text, reuse);
            } catch (IllegalArgumentException e) {
                if (lenient) {
                    return SKIPPED;
                }
                throw e;
            }
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (lenient && (input.length == 0 || output.length == 0)) {
                return;
            }
            super.add(input, output, includeOrig);
        }
    }

    static final class Wordnet extends WordnetSynonymParser {
        private final boolean lenient;

        Wordnet(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
            try {
                return super.analyze(text, reuse);
            } catch (IllegalArgumentException e) {
                if (lenient) {
                    return SKIPPED;
                }
                throw e;
            }
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (lenient && (input.length == 0 || output.length == 0)) {
                return;
            }
            super.add(input, output, includeOrig);
        }
    }
}
