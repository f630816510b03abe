package pk.gov.cmms.esnode.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fa.PersianStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.tartarus.snowball.ext.EnglishStemmer;

import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code stemmer}: parameter {@code language} (alias {@code name}), default {@code english}.
 * Only the English family plus Arabic and Persian are offered; any other language is rejected at index
 * creation so a mapping never silently differs from a stock cluster.
 */
class StemmerFactory extends AbstractTokenFilterFactory {

    private static final Map<String, UnaryOperator<TokenStream>> LANGUAGES = Map.of(
        "english", PorterStemFilter::new,
        "porter", PorterStemFilter::new,
        "porter2", in -> new SnowballFilter(in, new EnglishStemmer()),
        "light_english", KStemFilter::new,
        "minimal_english", EnglishMinimalStemFilter::new,
        "possessive_english", EnglishPossessiveFilter::new,
        "arabic", ArabicStemFilter::new,
        "persian", PersianStemFilter::new
    );

    private final UnaryOperator<TokenStream> stemmer;

    StemmerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        String language = settings.get("language", settings.get("name", "english")).toLowerCase(Locale.ROOT);
        UnaryOperator<TokenStream> chosen = LANGUAGES.get(language);
        if (chosen == null) {
            throw new IllegalArgumentException(
                "stemmer [" + name + "]: language [" + language + "] is not available on this node; supported: "
                    + new java.util.TreeSet<>(LANGUAGES.keySet()));
        }
        this.stemmer = chosen;
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return stemmer.apply(tokenStream);
    }
}
