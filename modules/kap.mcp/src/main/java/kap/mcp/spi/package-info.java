/**
 * The auth-injector SPI: {@link kap.mcp.spi.AuthInjectorProvider} builds an {@link kap.mcp.spi.AuthInjector} per
 * registered MCP server, which adds credentials to upstream requests on the sidecar.
 */
package kap.mcp.spi;
