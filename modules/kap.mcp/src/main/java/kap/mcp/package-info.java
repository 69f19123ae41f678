/**
 * The MCP proxy's host-side API: auth files ({@link kap.mcp.AuthStore}, {@link kap.mcp.AuthRecord}), tool pins
 * ({@link kap.mcp.PinStore}) and server registration ({@link kap.mcp.Registrar}), used by {@code kap mcp}.
 */
package kap.mcp;
