// The bridge's `approvals.*` and `aiClients.*` groups: what assistants asked, the user's decisions,
// and each assistant's switch and calls.
import type { HandlersFor } from '../bridge/dispatch';
import type { AiClients } from './aiClients';
import type { Approvals } from './approvals';
import type { McpClientSetupService } from './mcpClientSetup';

export function createAssistantHandlers(deps: { approvals: Approvals; aiClients: AiClients; mcpClients: McpClientSetupService; activeProfileId(): string }): HandlersFor<'approvals' | 'aiClients'> {
  const { approvals, aiClients, mcpClients, activeProfileId: active } = deps;
  return {
    'approvals.request': (input) => approvals.request(active(), input),
    'approvals.list': () => approvals.list(active()),
    'approvals.get': ({ id }) => approvals.get(active(), id),
    'approvals.approve': ({ id, contentHash }) => approvals.approve(active(), id, contentHash),
    'approvals.reject': ({ id }) => approvals.reject(active(), id),
    'aiClients.list': () => aiClients.list(),
    'aiClients.setEnabled': ({ name, enabled }) => aiClients.setEnabled(name, enabled),
    'aiClients.setup': () => mcpClients.setup(),
    'aiClients.writeConfig': ({ client }) => mcpClients.writeConfig(client),
  };
}
