package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;

import java.io.Reader;
import java.util.List;

/**
 * {@code mapping}: rules {@code "key => value"} from {@code mappings} or {@code mappings_path}; the usual
 * backslash escapes ({@code \\n \\t \\r \\b \\f \\\\ \\uXXXX}) are understood on both sides.
 */
class MappingCharFilterFactory extends AbstractCharFilterFactory implements NormalizingCharFilterFactory {

    private final NormalizeCharMap map;

    MappingCharFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name);
        List<String> rules = Analysis.getWordList(env, settings, "mappings");
        if (rules == null) {
            throw new IllegalArgumentException("mapping requires either `mappings` or `mappings_path` to be configured");
        }
        NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
        for (String rule : rules) {
            int arrow = rule.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
            }
            String key = unescape(rule.substring(0, arrow).strip());
            String value = unescape(rule.substring(arrow + 2).strip());
            if (key.isEmpty()) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "] (empty key)");
            }
            builder.add(key, value);
        }
        this.map = builder.build();
    }

    @Override
    public Reader create(Reader reader) {
        return new MappingCharFilter(map, reader);
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= text.length()) {
                        throw new IllegalArgumentException("Invalid escaped char in [" + text + "]");
                    }
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
