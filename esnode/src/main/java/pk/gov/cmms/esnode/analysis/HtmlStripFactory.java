package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;

import java.io.Reader;
import java.util.Set;

/** {@code html_strip}: parameter {@code escaped_tags} (tags left in place). */
class HtmlStripFactory extends AbstractCharFilterFactory {

    private final Set<String> escapedTags;

    HtmlStripFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name);
        this.escapedTags = Set.copyOf(settings.getAsList("escaped_tags"));
    }

    @Override
    public Reader create(Reader reader) {
        return new HTMLStripCharFilter(reader, escapedTags.isEmpty() ? null : escapedTags);
    }
}
