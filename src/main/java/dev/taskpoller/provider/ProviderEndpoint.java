package dev.taskpoller.provider;

/** Where a provider lives and the credential to call it with. The key never appears in {@link #toString()}. */
public record ProviderEndpoint(String baseUrl, String apiKey) {

    /** The base URL joined with a path that starts with '/', without a doubled slash. */
    public String url(String path) {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) + path : baseUrl + path;
    }

    @Override
    public String toString() {
        return "ProviderEndpoint[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "<none>" : "***") + "]";
    }
}
