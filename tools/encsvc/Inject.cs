using System.Text.Json.Nodes;
namespace CordbgEncSvc;
sealed partial class Service
{
    JsonObject Inject(JsonObject req) => throw new ProtocolError("inject: not yet");
}
