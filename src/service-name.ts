/** The service's name: the cards' `source.label`, the logger's `service` field and the default SMART client id. */
export const SERVICE_NAME = "vitd-cds";
