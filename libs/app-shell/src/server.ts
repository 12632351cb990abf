/**
 * @tfo/app-shell/server: the serving half of the app shell, imported by an app once it serves.
 * The container registrations both servers make, opening and stopping the data plane (its
 * drivers loaded only when `data.enabled` is on), and the orderly shutdown on signals.
 *
 * Never reads the process environment, never writes to the standard streams; the process is
 * reached only through the host the app passes to {@link handleShutdown}.
 */

/** The common container registrations and the MCP catalog, with what differs per server passed in. */
export {
  registerServer,
  type PlanePorts,
  type PortDecorators,
  type ServerInputs,
  type ServerInstructions,
  type ServerRegistration,
} from './container.js';

/** The data plane from the configuration: started in the background, stopped within a grace period. */
export { openDataPlane, stopDataPlane, ENGINE_STOP_GRACE_MS, type OpenedDataPlane } from './data-plane.js';

/** Signals, last-resort error logging and the one orderly shutdown. */
export { handleShutdown, type ShutdownHost, type ShutdownOptions } from './shutdown.js';
