package org.elasticsearch.plugins;

import org.elasticsearch.common.settings.Settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A PluginsService that instantiates plugin classes found on the launcher's plain classpath
 * instead of scanning modules/ and plugins/ directories (the Maven Central jars ship none).
 *
 * It lives in {@code org.elasticsearch.plugins} only because {@code loadPlugin}, {@code loadExtensions}
 * and the {@code LoadedPlugin} record are package-private in 8.19.
 */
public class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> classpathPlugins;

    public ClasspathPluginsService(
        Settings settings,
        PluginsLoader emptyLoader,
        Collection<Class<? extends Plugin>> pluginClasses,
        String elasticsearchVersion
    ) {
        // No config dir: none of our plugins reads plugin-specific config files.
        super(settings, null, emptyLoader);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<LoadedPlugin> loaded = new ArrayList<>();
        for (Class<? extends Plugin> pluginClass : pluginClasses) {
            Plugin instance = loadPlugin(pluginClass, settings, null);
            PluginDescriptor descriptor = new PluginDescriptor(
                pluginClass.getSimpleName(),
                "classpath plugin " + pluginClass.getName(),
                "NA",
                elasticsearchVersion,
                "17",
                pluginClass.getName(),
                null,
                List.of(),
                false,
                false,
                false,
                false
            );
            loaded.add(new LoadedPlugin(descriptor, instance, loader));
        }
        loadExtensions(loaded);
        this.classpathPlugins = List.copyOf(loaded);
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return classpathPlugins;
    }
}
