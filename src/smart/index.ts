export { smartAppRouter, type SmartAppRouterOptions } from "./smart-app-router";
