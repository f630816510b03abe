package pk.gov.cmms.esnode;

import org.apache.lucene.util.Version;
import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

import java.util.List;
import java.util.function.Supplier;

/** Builds the documented root-endpoint JSON from the running build and the local cluster state. */
final class RootInfoRestHandler extends BaseRestHandler {

    private final Supplier<ClusterService> clusterService;

    RootInfoRestHandler(Supplier<ClusterService> clusterService) {
        this.clusterService = clusterService;
    }

    @Override
    public String getName() {
        return "cmms_root_info_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ClusterService cluster = clusterService.get();
        return channel -> {
            XContentBuilder body = channel.newBuilder();
            writeInfo(body, cluster, Build.current());
            channel.sendResponse(new RestResponse(RestStatus.OK, body));
        };
    }

    private static void writeInfo(XContentBuilder body, ClusterService cluster, Build build) throws java.io.IOException {
        body.startObject();
        body.field("name", cluster.getNodeName());
        body.field("cluster_name", cluster.getClusterName().value());
        body.field("cluster_uuid", cluster.state().metadata().clusterUUID());
        body.startObject("version");
        body.field("number", build.qualifiedVersion());
        // The jar manifest carries no flavor; a stock distribution reports "default".
        body.field("build_flavor", "default");
        body.field("build_type", build.type().displayName());
        body.field("build_hash", build.hash());
        body.field("build_date", build.date());
        body.field("build_snapshot", build.isSnapshot());
        body.field("lucene_version", Version.LATEST.toString());
        body.field("minimum_wire_compatibility_version", build.minWireCompatVersion());
        body.field("minimum_index_compatibility_version", build.minIndexCompatVersion());
        body.endObject();
        body.field("tagline", "You Know, for Search");
        body.endObject();
    }
}
