package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.TokenFilterFactory;

import java.io.IOException;

/**
 * Drops every token whose text was already seen in the stream ({@code unique} filter).
 * With {@code only_on_same_position: true} only duplicates at the same position are removed.
 */
final class UniqueTokenFilter extends TokenFilter {

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final CharArraySet seen = new CharArraySet(16, false);

    UniqueTokenFilter(TokenStream in) {
        super(in);
    }

    static TokenFilterFactory factory(String name, Settings settings) {
        boolean samePositionOnly = settings.getAsBoolean("only_on_same_position", false);
        return new StreamFilterFactory(
            name, settings, in -> samePositionOnly ? new RemoveDuplicatesTokenFilter(in) : new UniqueTokenFilter(in));
    }

    @Override
    public boolean incrementToken() throws IOException {
        while (input.incrementToken()) {
            char[] buffer = term.buffer();
            int length = term.length();
            if (!seen.contains(buffer, 0, length)) {
                char[] copy = new char[length];
                System.arraycopy(buffer, 0, copy, 0, length);
                seen.add(copy);
                return true;
            }
        }
        return false;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        seen.clear();
    }
}
