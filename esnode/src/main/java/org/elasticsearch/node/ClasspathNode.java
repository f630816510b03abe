package org.elasticsearch.node;

import org.elasticsearch.Build;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Elasticsearch node whose plugins are classes on the classpath.
 *
 * In package {@code org.elasticsearch.node} because {@code NodeConstruction.prepareConstruction},
 * {@code NodeServiceProvider} and the {@code Node(NodeConstruction)} constructor are package-private in
 * 8.19; the public {@code Node(Environment, PluginsLoader)} constructor cannot take classpath plugins.
 */
public class ClasspathNode extends Node {

    public ClasspathNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(construction(environment, List.copyOf(plugins)));
    }

    private static NodeConstruction construction(Environment environment, List<Class<? extends Plugin>> plugins) {
        // Empty loader: no module or plugin bundles; withServerExports=false because the server jar sits
        // in the unnamed module on a plain classpath.
        PluginsLoader emptyLoader = PluginsLoader.createPluginsLoader(Set.of(), Set.of(), Map.of(), false);
        NodeServiceProvider provider = new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, PluginsLoader loader) {
                return new ClasspathPluginsService(env.settings(), loader, plugins, Build.current().version());
            }
        };
        return NodeConstruction.prepareConstruction(environment, emptyLoader, provider, true);
    }

    @Override
    protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {
        // Skipped on purpose: the listener sets process-wide SetOnce values that only the real bootstrap
        // needs (for log lines), and it would fail if a node were ever started twice in one JVM.
    }
}
