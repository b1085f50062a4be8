/**
 * Generated from Herald's /openapi.json by sdk/scripts/generate-api-types.ts (openapi-typescript).
 * Do not edit: run `node sdk/scripts/generate-api-types.ts` after changing a route's schema.
 */
export interface paths {
    "/ack/{deliveryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Acknowledge a delivery by its signed link ({{ ack_url }} in templates) */
        get: {
            parameters: {
                query?: {
                    sig?: string;
                };
                header?: never;
                path: {
                    deliveryId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Acknowledged: a short page, or JSON with Accept: application/json */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string;
                            deliveryId: string;
                            /** @description False when it was acknowledged before (the first acknowledgement stands) */
                            first: boolean;
                            messageId: string;
                            /** @enum {unknown} */
                            via: "api" | "link" | "inbox";
                        };
                        "text/html": string;
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in; sets an HttpOnly session cookie */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string;
                            id: string;
                            lastLoginAt: string | null;
                            name: string;
                            /** @enum {unknown} */
                            role: "owner" | "admin" | "operator" | "viewer";
                            status: "active" | "disabled";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string;
                            id: string;
                            lastLoginAt: string | null;
                            name: string;
                            /** @enum {unknown} */
                            role: "owner" | "admin" | "operator" | "viewer";
                            status: "active" | "disabled";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether first-run setup is still open */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            setupOpen: boolean;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create the first owner (only while Herald has no users) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        name?: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string;
                            id: string;
                            lastLoginAt: string | null;
                            name: string;
                            /** @enum {unknown} */
                            role: "owner" | "admin" | "operator" | "viewer";
                            status: "active" | "disabled";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Unread unarchived entries, in all and per category */
        get: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Unread unarchived entries per category; "" for none */
                            byCategory: {
                                [key: string]: number;
                            };
                            unread: number;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The subscriber's inbox, newest first (private items and announcements) */
        get: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    archived?: boolean;
                    category?: string;
                    cursor?: string;
                    limit?: number;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                    unread?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                actions: {
                                    label: string;
                                    url: string;
                                }[];
                                archivedAt: string | null;
                                bodyHtml: string | null;
                                category: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                data: {
                                    [key: string]: unknown;
                                };
                                id: string;
                                kind: "message" | "announcement";
                                link: string | null;
                                readAt: string | null;
                                severity: "info" | "success" | "warning" | "error";
                                summary: string | null;
                                title: string;
                                validUntil: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/items/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an entry from the subscriber's inbox */
        delete: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/items/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark an entry archived */
        post: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actions: {
                                label: string;
                                url: string;
                            }[];
                            archivedAt: string | null;
                            bodyHtml: string | null;
                            category: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            data: {
                                [key: string]: unknown;
                            };
                            id: string;
                            kind: "message" | "announcement";
                            link: string | null;
                            readAt: string | null;
                            severity: "info" | "success" | "warning" | "error";
                            summary: string | null;
                            title: string;
                            validUntil: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/items/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark an entry read */
        post: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actions: {
                                label: string;
                                url: string;
                            }[];
                            archivedAt: string | null;
                            bodyHtml: string | null;
                            category: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            data: {
                                [key: string]: unknown;
                            };
                            id: string;
                            kind: "message" | "announcement";
                            link: string | null;
                            readAt: string | null;
                            severity: "info" | "success" | "warning" | "error";
                            summary: string | null;
                            title: string;
                            validUntil: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/items/{id}/unarchive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark an entry unarchived */
        post: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actions: {
                                label: string;
                                url: string;
                            }[];
                            archivedAt: string | null;
                            bodyHtml: string | null;
                            category: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            data: {
                                [key: string]: unknown;
                            };
                            id: string;
                            kind: "message" | "announcement";
                            link: string | null;
                            readAt: string | null;
                            severity: "info" | "success" | "warning" | "error";
                            summary: string | null;
                            title: string;
                            validUntil: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/items/{id}/unread": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark an entry unread */
        post: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actions: {
                                label: string;
                                url: string;
                            }[];
                            archivedAt: string | null;
                            bodyHtml: string | null;
                            category: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            data: {
                                [key: string]: unknown;
                            };
                            id: string;
                            kind: "message" | "announcement";
                            link: string | null;
                            readAt: string | null;
                            severity: "info" | "success" | "warning" | "error";
                            summary: string | null;
                            title: string;
                            validUntil: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/items/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark every entry read (of one category when given) */
        post: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        category?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Unread unarchived entries per category; "" for none */
                            byCategory: {
                                [key: string]: number;
                            };
                            unread: number;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The subscriber's opt-outs ({} when none) */
        get: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false: opted out of everything not switched on more specifically */
                            all?: boolean;
                            /** @description Per message type category */
                            categories?: {
                                [key: string]: boolean;
                            };
                            /** @description Per channel, e.g. {"sms": false} */
                            channels?: {
                                dingtalk?: boolean;
                                discord?: boolean;
                                email?: boolean;
                                feishu?: boolean;
                                inbox?: boolean;
                                miniprogram?: boolean;
                                slack?: boolean;
                                sms?: boolean;
                                telegram?: boolean;
                                webhook?: boolean;
                                webpush?: boolean;
                                wechat?: boolean;
                                wecom?: boolean;
                            };
                            /** @description Per message type code */
                            types?: {
                                [key: string]: boolean;
                            };
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** Replace the subscriber's opt-outs */
        put: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description false: opted out of everything not switched on more specifically */
                        all?: boolean;
                        /** @description Per message type category */
                        categories?: {
                            [key: string]: boolean;
                        };
                        /** @description Per channel, e.g. {"sms": false} */
                        channels?: {
                            dingtalk?: boolean;
                            discord?: boolean;
                            email?: boolean;
                            feishu?: boolean;
                            inbox?: boolean;
                            miniprogram?: boolean;
                            slack?: boolean;
                            sms?: boolean;
                            telegram?: boolean;
                            webhook?: boolean;
                            webpush?: boolean;
                            wechat?: boolean;
                            wecom?: boolean;
                        };
                        /** @description Per message type code */
                        types?: {
                            [key: string]: boolean;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false: opted out of everything not switched on more specifically */
                            all?: boolean;
                            /** @description Per message type category */
                            categories?: {
                                [key: string]: boolean;
                            };
                            /** @description Per channel, e.g. {"sms": false} */
                            channels?: {
                                dingtalk?: boolean;
                                discord?: boolean;
                                email?: boolean;
                                feishu?: boolean;
                                inbox?: boolean;
                                miniprogram?: boolean;
                                slack?: boolean;
                                sms?: boolean;
                                telegram?: boolean;
                                webhook?: boolean;
                                webpush?: boolean;
                                wechat?: boolean;
                                wecom?: boolean;
                            };
                            /** @description Per message type code */
                            types?: {
                                [key: string]: boolean;
                            };
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/push-subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Store this browser's push subscription for the subscriber (201 new, 200 when the endpoint was known) */
        post: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description JSON.stringify(pushSubscription) from the browser */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The browser's push service URL (https:) */
                        endpoint: string;
                        /** @description As PushSubscription.toJSON() gives it; not used */
                        expirationTime?: number | null;
                        keys: {
                            /** @description The auth secret, base64url (16 bytes) */
                            auth: string;
                            /** @description The browser's P-256 public key, base64url (65 bytes) */
                            p256dh: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            endpoint: string;
                            /** @description The pushSubscription address of this browser: { "pushSubscription": "wps_..." } sends to it alone */
                            id: string;
                            /** Format: date-time */
                            updatedAt: string;
                            userAgent: string | null;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            endpoint: string;
                            /** @description The pushSubscription address of this browser: { "pushSubscription": "wps_..." } sends to it alone */
                            id: string;
                            /** Format: date-time */
                            updatedAt: string;
                            userAgent: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/push-subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete one of the subscriber's push subscriptions */
        delete: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path: {
                    /** @description The push subscription id (wps_...) */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live inbox: Server-Sent Events item, changed, counts and reset; heartbeats; Last-Event-ID resume */
        get: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description Resume after this entry id (or the Last-Event-ID header, which EventSource sends on reconnecting) */
                    lastEventId?: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An event stream that stays open */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/inbox/v1/web-push/vapid-public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The app's VAPID public key (base64url), for pushManager.subscribe({ applicationServerKey }) */
        get: {
            parameters: {
                query: {
                    /** @description The app id (or name) */
                    app: string;
                    /** @description The subscriber's external id (or the X-Herald-Subscriber header) */
                    subscriber?: string;
                    /** @description Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash) */
                    subscriberHash?: string;
                    /** @description An inbox token hit1.… (or Authorization: Bearer) */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description base64url, for pushManager.subscribe({ applicationServerKey }) */
                            publicKey: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The database takes writes; reports the worker lag and the live workers (503 WORKER_LAG_TOO_HIGH past HERALD_READY_MAX_LAG_SECONDS) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description sqlite or postgres */
                            database: string;
                            /** @description Worker processes whose last heartbeat is within HERALD_WORKER_DEAD_AFTER_SECONDS */
                            liveWorkers: number;
                            /** @enum {string} */
                            status: "ready";
                            /** @description How long the oldest due delivery has waited for a worker; 0 when none is due */
                            workerLagSeconds: number;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/receipts/{accountId}/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delivery receipts pushed by SMS platforms (Aliyun SmsReport, Tencent status callback, Twilio StatusCallback) to the receipt URL shown on the channel account */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    accountId: string;
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alarm-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The app's alarm rules */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[] | null;
                                /** Format: date-time */
                                createdAt: string;
                                enabled: boolean;
                                holdDownSeconds: number;
                                id: string;
                                /** @enum {unknown} */
                                kind: "quota_remaining" | "success_rate" | "backlog_age" | "callbacks_failing" | "circuit_open";
                                /** @description Why the last evaluation could not send an alarm's message */
                                lastError: string | null;
                                lastEvaluatedAt: string | null;
                                locale: string | null;
                                name: string;
                                nextEvaluationAt: string | null;
                                params: {
                                    [key: string]: unknown;
                                };
                                /** @description null: the whole app */
                                scope: {
                                    /** @description Channel account id */
                                    account: string;
                                } | {
                                    channel: string;
                                } | null;
                                /** @description As a send's to */
                                to: (string | {
                                    [key: string]: string;
                                })[];
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create an alarm rule; the app's herald.alarm message type and template are created when missing */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                        enabled?: boolean;
                        /** @description A cleared condition resolves its alarm once it has stayed clear this long (default 300) */
                        holdDownSeconds?: number;
                        /** @enum {unknown} */
                        kind: "quota_remaining" | "success_rate" | "backlog_age" | "callbacks_failing" | "circuit_open";
                        /** @description Overrides the receivers' locale */
                        locale?: string;
                        name: string;
                        /** @description quota_remaining: { remainingPercent?, remainingCount? }; success_rate: { belowPercent, windowSeconds, minAttempts }; backlog_age: { olderThanSeconds }; callbacks_failing: { failuresAtLeast, windowSeconds }; circuit_open: {} */
                        params: {
                            [key: string]: unknown;
                        };
                        /** @description One account (quota_remaining, success_rate, circuit_open) or one channel (success_rate); left out or null: every account of the app, or the whole app */
                        scope?: {
                            /** @description Channel account id or name */
                            account: string;
                        } | {
                            /** @enum {unknown} */
                            channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                        } | null;
                        /** @description Receivers, groups or accounts that get the alarms */
                        to: ((string | {
                            subscriber: string;
                        } | {
                            email: string;
                        } | {
                            phone: string;
                        } | {
                            wecomUserId: string;
                        } | {
                            dingtalkUserId: string;
                        } | {
                            feishuOpenId: string;
                        } | {
                            wechatOpenId: string;
                        } | {
                            miniProgramOpenId: string;
                        } | {
                            telegramChatId: string;
                        } | {
                            slackChannelId: string;
                        } | {
                            pushSubscription: string;
                        } | {
                            subscriberId: string;
                        } | {
                            channelAccount: string;
                        }) | {
                            group: string;
                        })[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[] | null;
                            /** Format: date-time */
                            createdAt: string;
                            enabled: boolean;
                            holdDownSeconds: number;
                            id: string;
                            /** @enum {unknown} */
                            kind: "quota_remaining" | "success_rate" | "backlog_age" | "callbacks_failing" | "circuit_open";
                            /** @description Why the last evaluation could not send an alarm's message */
                            lastError: string | null;
                            lastEvaluatedAt: string | null;
                            locale: string | null;
                            name: string;
                            nextEvaluationAt: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            /** @description null: the whole app */
                            scope: {
                                /** @description Channel account id */
                                account: string;
                            } | {
                                channel: string;
                            } | null;
                            /** @description As a send's to */
                            to: (string | {
                                [key: string]: string;
                            })[];
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alarm-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An alarm rule with its last evaluation */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[] | null;
                            /** Format: date-time */
                            createdAt: string;
                            enabled: boolean;
                            holdDownSeconds: number;
                            id: string;
                            /** @enum {unknown} */
                            kind: "quota_remaining" | "success_rate" | "backlog_age" | "callbacks_failing" | "circuit_open";
                            /** @description Why the last evaluation could not send an alarm's message */
                            lastError: string | null;
                            lastEvaluatedAt: string | null;
                            locale: string | null;
                            name: string;
                            nextEvaluationAt: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            /** @description null: the whole app */
                            scope: {
                                /** @description Channel account id */
                                account: string;
                            } | {
                                channel: string;
                            } | null;
                            /** @description As a send's to */
                            to: (string | {
                                [key: string]: string;
                            })[];
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an alarm rule; its open alarms close without a message */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change an alarm rule (not its kind); it is evaluated again at once */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                        enabled?: boolean;
                        /** @description A cleared condition resolves its alarm once it has stayed clear this long (default 300) */
                        holdDownSeconds?: number;
                        /** @description Overrides the receivers' locale */
                        locale?: string;
                        name?: string;
                        /** @description quota_remaining: { remainingPercent?, remainingCount? }; success_rate: { belowPercent, windowSeconds, minAttempts }; backlog_age: { olderThanSeconds }; callbacks_failing: { failuresAtLeast, windowSeconds }; circuit_open: {} */
                        params?: {
                            [key: string]: unknown;
                        };
                        /** @description One account (quota_remaining, success_rate, circuit_open) or one channel (success_rate); left out or null: every account of the app, or the whole app */
                        scope?: {
                            /** @description Channel account id or name */
                            account: string;
                        } | {
                            /** @enum {unknown} */
                            channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                        } | null;
                        /** @description Receivers, groups or accounts that get the alarms */
                        to?: ((string | {
                            subscriber: string;
                        } | {
                            email: string;
                        } | {
                            phone: string;
                        } | {
                            wecomUserId: string;
                        } | {
                            dingtalkUserId: string;
                        } | {
                            feishuOpenId: string;
                        } | {
                            wechatOpenId: string;
                        } | {
                            miniProgramOpenId: string;
                        } | {
                            telegramChatId: string;
                        } | {
                            slackChannelId: string;
                        } | {
                            pushSubscription: string;
                        } | {
                            subscriberId: string;
                        } | {
                            channelAccount: string;
                        }) | {
                            group: string;
                        })[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[] | null;
                            /** Format: date-time */
                            createdAt: string;
                            enabled: boolean;
                            holdDownSeconds: number;
                            id: string;
                            /** @enum {unknown} */
                            kind: "quota_remaining" | "success_rate" | "backlog_age" | "callbacks_failing" | "circuit_open";
                            /** @description Why the last evaluation could not send an alarm's message */
                            lastError: string | null;
                            lastEvaluatedAt: string | null;
                            locale: string | null;
                            name: string;
                            nextEvaluationAt: string | null;
                            params: {
                                [key: string]: unknown;
                            };
                            /** @description null: the whole app */
                            scope: {
                                /** @description Channel account id */
                                account: string;
                            } | {
                                channel: string;
                            } | null;
                            /** @description As a send's to */
                            to: (string | {
                                [key: string]: string;
                            })[];
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/alarms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alarms fired by the app's rules, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                    /** @description An alarm rule id */
                    rule?: string;
                    /** @description Alarms fired at or after this time */
                    since?: string;
                    status?: "open" | "resolved";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description While open: since when the condition has been clear */
                                clearSince: string | null;
                                detail: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                firedAt: string;
                                firedMessageId: string | null;
                                id: string;
                                kind: string;
                                resolvedAt: string | null;
                                resolvedMessageId: string | null;
                                ruleId: string;
                                ruleName: string;
                                status: "open" | "resolved";
                                /** @description account:<id>, channel:<name>, app, callbacks */
                                subject: string;
                                subjectLabel: string;
                                /** @description The measured value when the condition last held */
                                value: number | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alarms/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One alarm with the messages sent for it */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description While open: since when the condition has been clear */
                            clearSince: string | null;
                            detail: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            firedAt: string;
                            firedMessageId: string | null;
                            id: string;
                            kind: string;
                            resolvedAt: string | null;
                            resolvedMessageId: string | null;
                            ruleId: string;
                            ruleName: string;
                            status: "open" | "resolved";
                            /** @description account:<id>, channel:<name>, app, callbacks */
                            subject: string;
                            subjectLabel: string;
                            /** @description The measured value when the condition last held */
                            value: number | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/announcements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Announcements newest first, a page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                    /** @description Only announcements in this status now */
                    status?: "scheduled" | "live" | "expired" | "withdrawn";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                actions: {
                                    label: string;
                                    /** @description Where the button leads (http or https) */
                                    url: string;
                                }[];
                                /** @description Exactly one of {"all": true}, {"group": name}, {"tags": [...]} */
                                audience: {
                                    /** @enum {boolean} */
                                    all: true;
                                } | {
                                    /** @description A receiver group of the app */
                                    group: string;
                                } | {
                                    tags: string[];
                                };
                                /** @description The Markdown as written */
                                body: string | null;
                                /** @description The sanitised HTML the inbox shows */
                                bodyHtml: string | null;
                                category: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description Any JSON object the widget may use, at most 8192 bytes as JSON */
                                data: {
                                    [key: string]: unknown;
                                };
                                expiresAt: string | null;
                                id: string;
                                link: string | null;
                                /** Format: date-time */
                                publishAt: string;
                                /**
                                 * @description How the widget colours it (default info)
                                 * @enum {unknown}
                                 */
                                severity: "info" | "success" | "warning" | "error";
                                /**
                                 * @description withdrawn, else expired, else live, else scheduled: read from the clock
                                 * @enum {unknown}
                                 */
                                status: "scheduled" | "live" | "expired" | "withdrawn";
                                summary: string | null;
                                title: string;
                                /** Format: date-time */
                                updatedAt: string;
                                withdrawnAt: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Announce to the app's inboxes: everyone, a receiver group or subscribers with tags; stored once however large the audience
         * @description The body is Markdown, rendered once into sanitised HTML. Without publishAt it is live at once.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 3 buttons */
                        actions?: {
                            label: string;
                            /** @description Where the button leads (http or https) */
                            url: string;
                        }[];
                        /** @description Exactly one of {"all": true}, {"group": name}, {"tags": [...]} */
                        audience: {
                            /** @enum {boolean} */
                            all: true;
                        } | {
                            /** @description A receiver group of the app */
                            group: string;
                        } | {
                            tags: string[];
                        };
                        /** @description Markdown, rendered once into sanitised HTML (bodyHtml); raw HTML is dropped */
                        body?: string;
                        /** @description Lower-case letters, digits, ".", "_", "-": the widget filters by it */
                        category?: string;
                        /** @description Any JSON object the widget may use, at most 8192 bytes as JSON */
                        data?: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description Gone from every inbox from this time (after publishAt, and to come)
                         */
                        expiresAt?: string;
                        /** @description Where clicking the entry leads (http or https) */
                        link?: string;
                        /**
                         * Format: date-time
                         * @description Visible from this time (default now)
                         */
                        publishAt?: string;
                        /**
                         * @description How the widget colours it (default info)
                         * @enum {unknown}
                         */
                        severity?: "info" | "success" | "warning" | "error";
                        /** @description A line shown under the title */
                        summary?: string;
                        title: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actions: {
                                label: string;
                                /** @description Where the button leads (http or https) */
                                url: string;
                            }[];
                            /** @description Exactly one of {"all": true}, {"group": name}, {"tags": [...]} */
                            audience: {
                                /** @enum {boolean} */
                                all: true;
                            } | {
                                /** @description A receiver group of the app */
                                group: string;
                            } | {
                                tags: string[];
                            };
                            /** @description The Markdown as written */
                            body: string | null;
                            /** @description The sanitised HTML the inbox shows */
                            bodyHtml: string | null;
                            category: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Any JSON object the widget may use, at most 8192 bytes as JSON */
                            data: {
                                [key: string]: unknown;
                            };
                            expiresAt: string | null;
                            id: string;
                            link: string | null;
                            /** Format: date-time */
                            publishAt: string;
                            /**
                             * @description How the widget colours it (default info)
                             * @enum {unknown}
                             */
                            severity: "info" | "success" | "warning" | "error";
                            /**
                             * @description withdrawn, else expired, else live, else scheduled: read from the clock
                             * @enum {unknown}
                             */
                            status: "scheduled" | "live" | "expired" | "withdrawn";
                            summary: string | null;
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/announcements/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An announcement with its status now */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actions: {
                                label: string;
                                /** @description Where the button leads (http or https) */
                                url: string;
                            }[];
                            /** @description Exactly one of {"all": true}, {"group": name}, {"tags": [...]} */
                            audience: {
                                /** @enum {boolean} */
                                all: true;
                            } | {
                                /** @description A receiver group of the app */
                                group: string;
                            } | {
                                tags: string[];
                            };
                            /** @description The Markdown as written */
                            body: string | null;
                            /** @description The sanitised HTML the inbox shows */
                            bodyHtml: string | null;
                            category: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Any JSON object the widget may use, at most 8192 bytes as JSON */
                            data: {
                                [key: string]: unknown;
                            };
                            expiresAt: string | null;
                            id: string;
                            link: string | null;
                            /** Format: date-time */
                            publishAt: string;
                            /**
                             * @description How the widget colours it (default info)
                             * @enum {unknown}
                             */
                            severity: "info" | "success" | "warning" | "error";
                            /**
                             * @description withdrawn, else expired, else live, else scheduled: read from the clock
                             * @enum {unknown}
                             */
                            status: "scheduled" | "live" | "expired" | "withdrawn";
                            summary: string | null;
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change an announcement: inboxes show the new content at once (409 ANNOUNCEMENT_WITHDRAWN once withdrawn) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 3 buttons */
                        actions?: {
                            label: string;
                            /** @description Where the button leads (http or https) */
                            url: string;
                        }[];
                        /** @description Exactly one of {"all": true}, {"group": name}, {"tags": [...]} */
                        audience?: {
                            /** @enum {boolean} */
                            all: true;
                        } | {
                            /** @description A receiver group of the app */
                            group: string;
                        } | {
                            tags: string[];
                        };
                        body?: string | null;
                        category?: string | null;
                        /** @description Any JSON object the widget may use, at most 8192 bytes as JSON */
                        data?: {
                            [key: string]: unknown;
                        };
                        expiresAt?: string | null;
                        link?: string | null;
                        /**
                         * Format: date-time
                         * @description Visible from this time (default now)
                         */
                        publishAt?: string;
                        /**
                         * @description How the widget colours it (default info)
                         * @enum {unknown}
                         */
                        severity?: "info" | "success" | "warning" | "error";
                        summary?: string | null;
                        title?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actions: {
                                label: string;
                                /** @description Where the button leads (http or https) */
                                url: string;
                            }[];
                            /** @description Exactly one of {"all": true}, {"group": name}, {"tags": [...]} */
                            audience: {
                                /** @enum {boolean} */
                                all: true;
                            } | {
                                /** @description A receiver group of the app */
                                group: string;
                            } | {
                                tags: string[];
                            };
                            /** @description The Markdown as written */
                            body: string | null;
                            /** @description The sanitised HTML the inbox shows */
                            bodyHtml: string | null;
                            category: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Any JSON object the widget may use, at most 8192 bytes as JSON */
                            data: {
                                [key: string]: unknown;
                            };
                            expiresAt: string | null;
                            id: string;
                            link: string | null;
                            /** Format: date-time */
                            publishAt: string;
                            /**
                             * @description How the widget colours it (default info)
                             * @enum {unknown}
                             */
                            severity: "info" | "success" | "warning" | "error";
                            /**
                             * @description withdrawn, else expired, else live, else scheduled: read from the clock
                             * @enum {unknown}
                             */
                            status: "scheduled" | "live" | "expired" | "withdrawn";
                            summary: string | null;
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/announcements/{id}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw an announcement: gone from every inbox at once (again: no change) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actions: {
                                label: string;
                                /** @description Where the button leads (http or https) */
                                url: string;
                            }[];
                            /** @description Exactly one of {"all": true}, {"group": name}, {"tags": [...]} */
                            audience: {
                                /** @enum {boolean} */
                                all: true;
                            } | {
                                /** @description A receiver group of the app */
                                group: string;
                            } | {
                                tags: string[];
                            };
                            /** @description The Markdown as written */
                            body: string | null;
                            /** @description The sanitised HTML the inbox shows */
                            bodyHtml: string | null;
                            category: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Any JSON object the widget may use, at most 8192 bytes as JSON */
                            data: {
                                [key: string]: unknown;
                            };
                            expiresAt: string | null;
                            id: string;
                            link: string | null;
                            /** Format: date-time */
                            publishAt: string;
                            /**
                             * @description How the widget colours it (default info)
                             * @enum {unknown}
                             */
                            severity: "info" | "success" | "warning" | "error";
                            /**
                             * @description withdrawn, else expired, else live, else scheduled: read from the clock
                             * @enum {unknown}
                             */
                            status: "scheduled" | "live" | "expired" | "withdrawn";
                            summary: string | null;
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                            withdrawnAt: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List apps (a signed request sees its own) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                description: string;
                                id: string;
                                name: string;
                                settings: {
                                    [key: string]: unknown;
                                };
                                status: "active" | "disabled";
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create an app */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        name: string;
                        settings?: {
                            channels?: {
                                [key: string]: {
                                    maxAgeSeconds?: number;
                                    maxAttempts?: number;
                                };
                            };
                            inbox?: {
                                /** @description Web origins whose pages may call the inbox API (CORS), e.g. https://shop.example.com */
                                allowedOrigins?: string[];
                            };
                            maxAgeSeconds?: number;
                            maxAttempts?: number;
                            /** @description Per-app API rate limits (token buckets shared by all API processes); over them → 429 RATE_LIMITED */
                            rateLimits?: {
                                /** @description Other state-changing calls at once; default HERALD_RATE_MANAGE_BURST */
                                manageBurst?: number;
                                /** @description Other state-changing calls per second; default HERALD_RATE_MANAGE_PER_SECOND */
                                managePerSecond?: number;
                                /** @description Receivers accepted at once before the send rate applies; default HERALD_RATE_SEND_BURST */
                                sendBurst?: number;
                                /** @description Receivers accepted per second (a batch costs one per receiver); default HERALD_RATE_SEND_PER_SECOND */
                                sendPerSecond?: number;
                            };
                            /** @description Finished messages older than this many days are purged with their deliveries and events; default HERALD_RETENTION_DAYS (30) */
                            retentionDays?: number;
                            /** @description IANA time zone of receivers without their own (quiet hours), e.g. Asia/Shanghai; default UTC */
                            timezone?: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            id: string;
                            name: string;
                            settings: {
                                [key: string]: unknown;
                            };
                            status: "active" | "disabled";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{app}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an app by id or name */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    app: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            id: string;
                            name: string;
                            settings: {
                                [key: string]: unknown;
                            };
                            status: "active" | "disabled";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update, disable or enable an app */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    app: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        name?: string;
                        settings?: {
                            channels?: {
                                [key: string]: {
                                    maxAgeSeconds?: number;
                                    maxAttempts?: number;
                                };
                            };
                            inbox?: {
                                /** @description Web origins whose pages may call the inbox API (CORS), e.g. https://shop.example.com */
                                allowedOrigins?: string[];
                            };
                            maxAgeSeconds?: number;
                            maxAttempts?: number;
                            /** @description Per-app API rate limits (token buckets shared by all API processes); over them → 429 RATE_LIMITED */
                            rateLimits?: {
                                /** @description Other state-changing calls at once; default HERALD_RATE_MANAGE_BURST */
                                manageBurst?: number;
                                /** @description Other state-changing calls per second; default HERALD_RATE_MANAGE_PER_SECOND */
                                managePerSecond?: number;
                                /** @description Receivers accepted at once before the send rate applies; default HERALD_RATE_SEND_BURST */
                                sendBurst?: number;
                                /** @description Receivers accepted per second (a batch costs one per receiver); default HERALD_RATE_SEND_PER_SECOND */
                                sendPerSecond?: number;
                            };
                            /** @description Finished messages older than this many days are purged with their deliveries and events; default HERALD_RETENTION_DAYS (30) */
                            retentionDays?: number;
                            /** @description IANA time zone of receivers without their own (quiet hours), e.g. Asia/Shanghai; default UTC */
                            timezone?: string;
                        };
                        status?: "active" | "disabled";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            id: string;
                            name: string;
                            settings: {
                                [key: string]: unknown;
                            };
                            status: "active" | "disabled";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/apps/{app}/callback-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The secret signing result callbacks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    app: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The HMAC-SHA256 key of the X-Herald-Signature header on result callbacks */
                            callbackSecret: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{app}/callback-secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the callback secret */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    app: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The HMAC-SHA256 key of the X-Herald-Signature header on result callbacks */
                            callbackSecret: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{app}/inbox-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The secret signing subscriber hashes and inbox tokens */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    app: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            inboxSecret: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{app}/inbox-secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the inbox secret (hashes and tokens signed with the old one stop working) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    app: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            inboxSecret: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{app}/inbox-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mint an expiring token proving a subscriber to the inbox API */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    app: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The subscriber's external id */
                        subscriberId: string;
                        /** @default 3600 */
                        ttlSeconds?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            expiresAt: string;
                            token: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{app}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List access keys (never their secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    app: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                accessKeyId: string;
                                appId: string;
                                /** Format: date-time */
                                createdAt: string;
                                lastUsedAt: string | null;
                                revokedAt: string | null;
                                status: "active" | "revoked";
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create an access key (the secret is shown only in this response) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    app: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessKeyId: string;
                            appId: string;
                            /** Format: date-time */
                            createdAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                            /** @description Shown only in this answer; Herald keeps it encrypted and never returns it again */
                            secretAccessKey: string;
                            status: "active" | "revoked";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{app}/keys/{accessKeyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an access key */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    accessKeyId: string;
                    app: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the audit log, newest first
         * @description Console users need the admin role; an access key sees the rows of its own app.
         */
        get: {
            parameters: {
                query?: {
                    /** @description e.g. "PATCH /v1/channel-accounts/{idOrName}" */
                    action?: string;
                    /** @description Console user id or access key id */
                    actor?: string;
                    /** @description Console users: only this app (id or name) */
                    app?: string;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description Rows at or after this time */
                    from?: string;
                    limit?: number;
                    target?: string;
                    /** @description Rows at or before this time */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description The route, e.g. "PATCH /v1/channel-accounts/{idOrName}" */
                                action: string;
                                /** @description Console user id or access key id */
                                actor: string;
                                actorEmail: string | null;
                                actorKind: "user" | "access-key";
                                address: string | null;
                                /** @description The target as the API showed it, secrets masked; null when there is none */
                                after: unknown;
                                appId: string | null;
                                /** Format: date-time */
                                at: string;
                                /** @description The target as the API showed it, secrets masked; null when there is none */
                                before: unknown;
                                id: string;
                                requestId: string | null;
                                /** @description The id of what changed */
                                target: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channel-account-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Provider types with their channel and config JSON Schema */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                addressKind: string | null;
                                /** @enum {unknown} */
                                channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                                /** @description JSON Schema of the config */
                                configSchema: unknown;
                                defaultFlowLimits: {
                                    count: number;
                                    perSeconds: number;
                                }[];
                                maxRecipientsPerCall: number | null;
                                readsQuota: boolean;
                                /** @description How long after sending a message can be recalled; null: no recall */
                                recallWindowSeconds: number | null;
                                secretFields: string[];
                                /** @description Secret fields masked only in parts */
                                secretMasks: {
                                    [key: string]: "values" | "query";
                                };
                                /** @description account: the account itself is the receiver (a robot, a webhook); address: sends name receivers */
                                target: "account" | "address";
                                type: string;
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channel-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List channel accounts, optionally of one channel or provider type */
        get: {
            parameters: {
                query?: {
                    channel?: string;
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @enum {unknown} */
                                channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                                /** @description Provider config; secret fields read back masked */
                                config: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                createdAt: string;
                                /** @description What the dispatcher enforces; empty when unlimited */
                                effectiveFlowLimits: {
                                    count: number;
                                    perSeconds: number;
                                }[];
                                enabled: boolean;
                                /** @description null: the provider's defaults apply */
                                flowLimits: {
                                    count: number;
                                    perSeconds: number;
                                }[] | null;
                                id: string;
                                isDefault: boolean;
                                name: string;
                                quota: {
                                    limit: number;
                                    period: "day" | "month" | "balance";
                                    timeZone?: string;
                                } | null;
                                quotaStatus: {
                                    accountId: string;
                                    configured: {
                                        limit: number;
                                        period: "day" | "month" | "balance";
                                        remaining: number;
                                        /** @description null: a balance, which never resets */
                                        resetsAt: string | null;
                                        used: number;
                                    } | null;
                                    /** @description A provider's quota error marked the account exhausted: it sends again after until (null: after a reset) */
                                    exhausted: {
                                        code: string;
                                        message: string;
                                        /** Format: date-time */
                                        since: string;
                                        until: string | null;
                                    } | null;
                                    /** @description The tighter of the configured and the reported limit */
                                    limit: number | null;
                                    remaining: number | null;
                                    /** @description What the platform last reported */
                                    reported: {
                                        /** Format: date-time */
                                        at: string;
                                        limit: number;
                                        remaining: number;
                                        used: number;
                                    } | null;
                                };
                                /** @description Where the platform pushes delivery receipts, for providers that take them */
                                receiptUrl?: string;
                                type: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create a channel account */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Provider config; secret fields read back as "********" */
                        config: {
                            [key: string]: unknown;
                        };
                        enabled?: boolean;
                        /** @description Windows enforced together across all workers (e.g. 5 per 1 s and 100 per 60 s); null: the provider's documented defaults apply */
                        flowLimits?: {
                            /** @description Sends allowed per window */
                            count: number;
                            /** @description Window length in seconds */
                            perSeconds: number;
                        }[] | null;
                        /** @description Default: true when the channel has no default account yet */
                        isDefault?: boolean;
                        /** @description Unique in the app; sends may name the account by it */
                        name: string;
                        /** @description Herald's own count of sends through the account; over it, deliveries go to the route's next account with quota or wait for the reset (QUOTA_EXHAUSTED). null: none */
                        quota?: {
                            /** @description Sends allowed per period (or in the balance) */
                            limit: number;
                            /** @description day / month: resets at midnight in timeZone; balance: a prepaid package that never resets by itself (set it again after topping up) */
                            period: "day" | "month" | "balance";
                            /** @description IANA time zone whose midnight resets day and month quotas; default Asia/Shanghai */
                            timeZone?: string;
                        } | null;
                        /** @description Provider type, e.g. smtp, dingtalk-robot, webhook */
                        type: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {unknown} */
                            channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                            /** @description Provider config; secret fields read back masked */
                            config: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** @description What the dispatcher enforces; empty when unlimited */
                            effectiveFlowLimits: {
                                count: number;
                                perSeconds: number;
                            }[];
                            enabled: boolean;
                            /** @description null: the provider's defaults apply */
                            flowLimits: {
                                count: number;
                                perSeconds: number;
                            }[] | null;
                            id: string;
                            isDefault: boolean;
                            name: string;
                            quota: {
                                limit: number;
                                period: "day" | "month" | "balance";
                                timeZone?: string;
                            } | null;
                            quotaStatus: {
                                accountId: string;
                                configured: {
                                    limit: number;
                                    period: "day" | "month" | "balance";
                                    remaining: number;
                                    /** @description null: a balance, which never resets */
                                    resetsAt: string | null;
                                    used: number;
                                } | null;
                                /** @description A provider's quota error marked the account exhausted: it sends again after until (null: after a reset) */
                                exhausted: {
                                    code: string;
                                    message: string;
                                    /** Format: date-time */
                                    since: string;
                                    until: string | null;
                                } | null;
                                /** @description The tighter of the configured and the reported limit */
                                limit: number | null;
                                remaining: number | null;
                                /** @description What the platform last reported */
                                reported: {
                                    /** Format: date-time */
                                    at: string;
                                    limit: number;
                                    remaining: number;
                                    used: number;
                                } | null;
                            };
                            /** @description Where the platform pushes delivery receipts, for providers that take them */
                            receiptUrl?: string;
                            type: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channel-accounts/{idOrName}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a channel account by id or name */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    idOrName: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {unknown} */
                            channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                            /** @description Provider config; secret fields read back masked */
                            config: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** @description What the dispatcher enforces; empty when unlimited */
                            effectiveFlowLimits: {
                                count: number;
                                perSeconds: number;
                            }[];
                            enabled: boolean;
                            /** @description null: the provider's defaults apply */
                            flowLimits: {
                                count: number;
                                perSeconds: number;
                            }[] | null;
                            id: string;
                            isDefault: boolean;
                            name: string;
                            quota: {
                                limit: number;
                                period: "day" | "month" | "balance";
                                timeZone?: string;
                            } | null;
                            quotaStatus: {
                                accountId: string;
                                configured: {
                                    limit: number;
                                    period: "day" | "month" | "balance";
                                    remaining: number;
                                    /** @description null: a balance, which never resets */
                                    resetsAt: string | null;
                                    used: number;
                                } | null;
                                /** @description A provider's quota error marked the account exhausted: it sends again after until (null: after a reset) */
                                exhausted: {
                                    code: string;
                                    message: string;
                                    /** Format: date-time */
                                    since: string;
                                    until: string | null;
                                } | null;
                                /** @description The tighter of the configured and the reported limit */
                                limit: number | null;
                                remaining: number | null;
                                /** @description What the platform last reported */
                                reported: {
                                    /** Format: date-time */
                                    at: string;
                                    limit: number;
                                    remaining: number;
                                    used: number;
                                } | null;
                            };
                            /** @description Where the platform pushes delivery receipts, for providers that take them */
                            receiptUrl?: string;
                            type: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a channel account */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    idOrName: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a channel account
         * @description config is merged into the stored one: a field given replaces, null removes, an omitted secret or one sent as "********" keeps its stored value.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    idOrName: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Provider config; secret fields read back as "********" */
                        config?: {
                            [key: string]: unknown;
                        };
                        enabled?: boolean;
                        /** @description Windows enforced together across all workers (e.g. 5 per 1 s and 100 per 60 s); null: the provider's documented defaults apply */
                        flowLimits?: {
                            /** @description Sends allowed per window */
                            count: number;
                            /** @description Window length in seconds */
                            perSeconds: number;
                        }[] | null;
                        isDefault?: boolean;
                        /** @description Unique in the app; sends may name the account by it */
                        name?: string;
                        /** @description Herald's own count of sends through the account; over it, deliveries go to the route's next account with quota or wait for the reset (QUOTA_EXHAUSTED). null: none */
                        quota?: {
                            /** @description Sends allowed per period (or in the balance) */
                            limit: number;
                            /** @description day / month: resets at midnight in timeZone; balance: a prepaid package that never resets by itself (set it again after topping up) */
                            period: "day" | "month" | "balance";
                            /** @description IANA time zone whose midnight resets day and month quotas; default Asia/Shanghai */
                            timeZone?: string;
                        } | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {unknown} */
                            channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                            /** @description Provider config; secret fields read back masked */
                            config: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** @description What the dispatcher enforces; empty when unlimited */
                            effectiveFlowLimits: {
                                count: number;
                                perSeconds: number;
                            }[];
                            enabled: boolean;
                            /** @description null: the provider's defaults apply */
                            flowLimits: {
                                count: number;
                                perSeconds: number;
                            }[] | null;
                            id: string;
                            isDefault: boolean;
                            name: string;
                            quota: {
                                limit: number;
                                period: "day" | "month" | "balance";
                                timeZone?: string;
                            } | null;
                            quotaStatus: {
                                accountId: string;
                                configured: {
                                    limit: number;
                                    period: "day" | "month" | "balance";
                                    remaining: number;
                                    /** @description null: a balance, which never resets */
                                    resetsAt: string | null;
                                    used: number;
                                } | null;
                                /** @description A provider's quota error marked the account exhausted: it sends again after until (null: after a reset) */
                                exhausted: {
                                    code: string;
                                    message: string;
                                    /** Format: date-time */
                                    since: string;
                                    until: string | null;
                                } | null;
                                /** @description The tighter of the configured and the reported limit */
                                limit: number | null;
                                remaining: number | null;
                                /** @description What the platform last reported */
                                reported: {
                                    /** Format: date-time */
                                    at: string;
                                    limit: number;
                                    remaining: number;
                                    used: number;
                                } | null;
                            };
                            /** @description Where the platform pushes delivery receipts, for providers that take them */
                            receiptUrl?: string;
                            type: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/channel-accounts/{idOrName}/quota/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Clear the exhaustion mark a provider quota error left (after topping up, or WeChat clear_quota): the account sends again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    idOrName: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {unknown} */
                            channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                            /** @description Provider config; secret fields read back masked */
                            config: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** @description What the dispatcher enforces; empty when unlimited */
                            effectiveFlowLimits: {
                                count: number;
                                perSeconds: number;
                            }[];
                            enabled: boolean;
                            /** @description null: the provider's defaults apply */
                            flowLimits: {
                                count: number;
                                perSeconds: number;
                            }[] | null;
                            id: string;
                            isDefault: boolean;
                            name: string;
                            quota: {
                                limit: number;
                                period: "day" | "month" | "balance";
                                timeZone?: string;
                            } | null;
                            quotaStatus: {
                                accountId: string;
                                configured: {
                                    limit: number;
                                    period: "day" | "month" | "balance";
                                    remaining: number;
                                    /** @description null: a balance, which never resets */
                                    resetsAt: string | null;
                                    used: number;
                                } | null;
                                /** @description A provider's quota error marked the account exhausted: it sends again after until (null: after a reset) */
                                exhausted: {
                                    code: string;
                                    message: string;
                                    /** Format: date-time */
                                    since: string;
                                    until: string | null;
                                } | null;
                                /** @description The tighter of the configured and the reported limit */
                                limit: number | null;
                                remaining: number | null;
                                /** @description What the platform last reported */
                                reported: {
                                    /** Format: date-time */
                                    at: string;
                                    limit: number;
                                    remaining: number;
                                    used: number;
                                } | null;
                            };
                            /** @description Where the platform pushes delivery receipts, for providers that take them */
                            receiptUrl?: string;
                            type: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channel-accounts/{idOrName}/receipt-url/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new receipt URL (set it in the vendor console); the previous one keeps working for previousValidForSeconds */
        post: {
            parameters: {
                query?: {
                    /** @description How long the previous URL still takes receipts (messages already sent name it); 0 ends it at once. Default 86400 */
                    previousValidForSeconds?: number;
                };
                header?: never;
                path: {
                    idOrName: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {unknown} */
                            channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                            /** @description Provider config; secret fields read back masked */
                            config: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** @description What the dispatcher enforces; empty when unlimited */
                            effectiveFlowLimits: {
                                count: number;
                                perSeconds: number;
                            }[];
                            enabled: boolean;
                            /** @description null: the provider's defaults apply */
                            flowLimits: {
                                count: number;
                                perSeconds: number;
                            }[] | null;
                            id: string;
                            isDefault: boolean;
                            name: string;
                            /** @description Until when the previous URL still takes receipts; null: it stopped at once */
                            previousReceiptUrlValidUntil: string | null;
                            quota: {
                                limit: number;
                                period: "day" | "month" | "balance";
                                timeZone?: string;
                            } | null;
                            quotaStatus: {
                                accountId: string;
                                configured: {
                                    limit: number;
                                    period: "day" | "month" | "balance";
                                    remaining: number;
                                    /** @description null: a balance, which never resets */
                                    resetsAt: string | null;
                                    used: number;
                                } | null;
                                /** @description A provider's quota error marked the account exhausted: it sends again after until (null: after a reset) */
                                exhausted: {
                                    code: string;
                                    message: string;
                                    /** Format: date-time */
                                    since: string;
                                    until: string | null;
                                } | null;
                                /** @description The tighter of the configured and the reported limit */
                                limit: number | null;
                                remaining: number | null;
                                /** @description What the platform last reported */
                                reported: {
                                    /** Format: date-time */
                                    at: string;
                                    limit: number;
                                    remaining: number;
                                    used: number;
                                } | null;
                            };
                            /** @description Where the platform pushes delivery receipts, for providers that take them */
                            receiptUrl?: string;
                            type: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channel-routes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The app's routes over several accounts per channel */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description In failover order */
                                accounts: {
                                    /** @description While the account's circuit breaker is open, when it closes */
                                    circuitOpenUntil: string | null;
                                    id: string;
                                    name: string;
                                    type: string;
                                    weight: number;
                                }[];
                                channel: string;
                                /** @enum {unknown} */
                                mode: "failover" | "weighted";
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channel-routes/{channel}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Route a channel over several accounts (failover or weighted) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    channel: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description In failover order */
                        accounts: {
                            /** @description Channel account id or name */
                            account: string;
                            /** @description Share of sends in weighted mode */
                            weight?: number;
                        }[];
                        /**
                         * @description failover: the first account, then the next on a transient failure or an open circuit; weighted: split by weight (failing over the same way)
                         * @enum {unknown}
                         */
                        mode: "failover" | "weighted";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description In failover order */
                            accounts: {
                                /** @description While the account's circuit breaker is open, when it closes */
                                circuitOpenUntil: string | null;
                                id: string;
                                name: string;
                                type: string;
                                weight: number;
                            }[];
                            channel: string;
                            /** @enum {unknown} */
                            mode: "failover" | "weighted";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        /** Remove a channel's route: it sends through its default account again */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    channel: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One delivery */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description When someone acknowledged it, which stops its escalation */
                            acknowledgedAt: string | null;
                            address: string | null;
                            attempts: number;
                            channel: string;
                            channelAccountId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description The last failure */
                            error: {
                                code: string;
                                message: string | null;
                            } | null;
                            id: string;
                            maxAttempts: number;
                            messageId: string;
                            nextAttemptAt: string | null;
                            providerMessageId: string | null;
                            /** @description A subscriber external id, or a one-key object: {"email"}, {"subscriber"}, {"channelAccount"}, … */
                            receiver: string | {
                                [key: string]: string;
                            };
                            sentAt: string | null;
                            /** @enum {unknown} */
                            status: "queued" | "scheduled" | "sending" | "retrying" | "sent" | "delivered" | "read" | "recalled" | "undelivered" | "failed" | "canceled" | "skipped";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Acknowledge a delivery: a person saw it; stops the escalation of its receiver */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string;
                            deliveryId: string;
                            /** @description False when it was acknowledged before (the first acknowledgement stands) */
                            first: boolean;
                            messageId: string;
                            /** @enum {unknown} */
                            via: "api" | "link" | "inbox";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a failed, undelivered or canceled delivery again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description When someone acknowledged it, which stops its escalation */
                            acknowledgedAt: string | null;
                            address: string | null;
                            attempts: number;
                            channel: string;
                            channelAccountId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description The last failure */
                            error: {
                                code: string;
                                message: string | null;
                            } | null;
                            id: string;
                            maxAttempts: number;
                            messageId: string;
                            nextAttemptAt: string | null;
                            providerMessageId: string | null;
                            /** @description A subscriber external id, or a one-key object: {"email"}, {"subscriber"}, {"channelAccount"}, … */
                            receiver: string | {
                                [key: string]: string;
                            };
                            sentAt: string | null;
                            /** @enum {unknown} */
                            status: "queued" | "scheduled" | "sending" | "retrying" | "sent" | "delivered" | "read" | "recalled" | "undelivered" | "failed" | "canceled" | "skipped";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/message-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All message types of the app, by code */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                category: string | null;
                                channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                                code: string;
                                /** Format: date-time */
                                createdAt: string;
                                critical: boolean;
                                enabled: boolean;
                                id: string;
                                name: string;
                                policies: {
                                    [key: string]: unknown;
                                };
                                /** @description A subscriber external id, or one-key objects: {"group"}, {"subscriber"}, {"email"}, {"channelAccount"}, … */
                                receivers: (string | {
                                    [key: string]: string;
                                })[];
                                template: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                                /** @enum {unknown} */
                                urgency: "urgent" | "high" | "normal" | "low";
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create a message type (409 MESSAGE_TYPE_EXISTS when the code is taken) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        category?: string | null;
                        /** @description Default channels ([]: the template's) */
                        channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                        /** @description Stable code, e.g. server.down */
                        code: string;
                        /** @description Critical types bypass subscribers' opt-outs */
                        critical?: boolean;
                        /** @description A disabled type refuses sends with 422 MESSAGE_TYPE_DISABLED */
                        enabled?: boolean;
                        name?: string;
                        policies?: {
                            /** @description The same content to the same receiver within this many seconds is skipped DUPLICATE */
                            dedupSeconds?: number;
                            /** @description Digest (通知消息合并): events within a window become one message; each digested delivery is skipped DIGESTED */
                            digest?: {
                                /** @description The event that opens a window goes out at once; the rest of the window is digested (default false) */
                                firstImmediately?: boolean;
                                /** @description A data path (e.g. `order.shop`): events with different values there are digested apart */
                                key?: string;
                                /** @description Code of the template the digest is rendered with, over `items` (each event's data) and `count` */
                                template: string;
                                /** @description Events for the same receiver within this many seconds of the first become one message */
                                windowSeconds: number;
                            };
                            /** @description Unacknowledged after afterSeconds: send again on the next channels, step by step, until a delivery is acknowledged */
                            escalation?: {
                                steps: {
                                    /** @description Seconds after the previous send (the message, or the step before) with no acknowledgement */
                                    afterSeconds: number;
                                    /** @description The channels this step sends on */
                                    channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                                    /** @description Who this step reaches (on-call people for an alert posted to a group robot); default the same receiver. A type whose steps name `to` escalates once per message, not per receiver */
                                    to?: ((string | {
                                        subscriber: string;
                                    } | {
                                        email: string;
                                    } | {
                                        phone: string;
                                    } | {
                                        wecomUserId: string;
                                    } | {
                                        dingtalkUserId: string;
                                    } | {
                                        feishuOpenId: string;
                                    } | {
                                        wechatOpenId: string;
                                    } | {
                                        miniProgramOpenId: string;
                                    } | {
                                        telegramChatId: string;
                                    } | {
                                        slackChannelId: string;
                                    } | {
                                        pushSubscription: string;
                                    } | {
                                        subscriberId: string;
                                    } | {
                                        channelAccount: string;
                                    }) | {
                                        group: string;
                                    })[];
                                }[];
                            };
                            /** @description At most `count` messages of this type per receiver per window; more are skipped FREQUENCY_CAP */
                            frequencyCap?: {
                                count: number;
                                perSeconds: number;
                            };
                            /** @description Night shielding in the receiver's time zone (the subscriber's, else the app's default) */
                            quietHours?: {
                                /** @description drop: skipped QUIET_HOURS; hold: deferred to the end of the window */
                                action: "drop" | "hold";
                                /** @description 24-hour wall time, HH:MM */
                                end: string;
                                /** @description 24-hour wall time, HH:MM */
                                start: string;
                                /** @description Urgent messages are not held or dropped (default true) */
                                urgentBypass?: boolean;
                            };
                        };
                        /** @description Groups and subscribers: [{"group":"ops"}, "u1", {"subscriber":"u2"}] */
                        receivers?: ((string | {
                            subscriber: string;
                        } | {
                            email: string;
                        } | {
                            phone: string;
                        } | {
                            wecomUserId: string;
                        } | {
                            dingtalkUserId: string;
                        } | {
                            feishuOpenId: string;
                        } | {
                            wechatOpenId: string;
                        } | {
                            miniProgramOpenId: string;
                        } | {
                            telegramChatId: string;
                        } | {
                            slackChannelId: string;
                        } | {
                            pushSubscription: string;
                        } | {
                            subscriberId: string;
                        } | {
                            channelAccount: string;
                        }) | {
                            group: string;
                        })[];
                        template?: string | null;
                        /**
                         * @description The default priority of its messages
                         * @enum {unknown}
                         */
                        urgency?: "urgent" | "high" | "normal" | "low";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            category: string | null;
                            channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            critical: boolean;
                            enabled: boolean;
                            id: string;
                            name: string;
                            policies: {
                                [key: string]: unknown;
                            };
                            /** @description A subscriber external id, or one-key objects: {"group"}, {"subscriber"}, {"email"}, {"channelAccount"}, … */
                            receivers: (string | {
                                [key: string]: string;
                            })[];
                            template: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            /** @enum {unknown} */
                            urgency: "urgent" | "high" | "normal" | "low";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/message-types/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A message type */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code, e.g. server.down */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            category: string | null;
                            channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            critical: boolean;
                            enabled: boolean;
                            id: string;
                            name: string;
                            policies: {
                                [key: string]: unknown;
                            };
                            /** @description A subscriber external id, or one-key objects: {"group"}, {"subscriber"}, {"email"}, {"channelAccount"}, … */
                            receivers: (string | {
                                [key: string]: string;
                            })[];
                            template: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            /** @enum {unknown} */
                            urgency: "urgent" | "high" | "normal" | "low";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a message type */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code, e.g. server.down */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change some fields of a message type (null clears category or template) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code, e.g. server.down */
                    code: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        category?: string | null;
                        /** @description Default channels ([]: the template's) */
                        channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                        /** @description Critical types bypass subscribers' opt-outs */
                        critical?: boolean;
                        /** @description A disabled type refuses sends with 422 MESSAGE_TYPE_DISABLED */
                        enabled?: boolean;
                        name?: string;
                        policies?: {
                            /** @description The same content to the same receiver within this many seconds is skipped DUPLICATE */
                            dedupSeconds?: number;
                            /** @description Digest (通知消息合并): events within a window become one message; each digested delivery is skipped DIGESTED */
                            digest?: {
                                /** @description The event that opens a window goes out at once; the rest of the window is digested (default false) */
                                firstImmediately?: boolean;
                                /** @description A data path (e.g. `order.shop`): events with different values there are digested apart */
                                key?: string;
                                /** @description Code of the template the digest is rendered with, over `items` (each event's data) and `count` */
                                template: string;
                                /** @description Events for the same receiver within this many seconds of the first become one message */
                                windowSeconds: number;
                            };
                            /** @description Unacknowledged after afterSeconds: send again on the next channels, step by step, until a delivery is acknowledged */
                            escalation?: {
                                steps: {
                                    /** @description Seconds after the previous send (the message, or the step before) with no acknowledgement */
                                    afterSeconds: number;
                                    /** @description The channels this step sends on */
                                    channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                                    /** @description Who this step reaches (on-call people for an alert posted to a group robot); default the same receiver. A type whose steps name `to` escalates once per message, not per receiver */
                                    to?: ((string | {
                                        subscriber: string;
                                    } | {
                                        email: string;
                                    } | {
                                        phone: string;
                                    } | {
                                        wecomUserId: string;
                                    } | {
                                        dingtalkUserId: string;
                                    } | {
                                        feishuOpenId: string;
                                    } | {
                                        wechatOpenId: string;
                                    } | {
                                        miniProgramOpenId: string;
                                    } | {
                                        telegramChatId: string;
                                    } | {
                                        slackChannelId: string;
                                    } | {
                                        pushSubscription: string;
                                    } | {
                                        subscriberId: string;
                                    } | {
                                        channelAccount: string;
                                    }) | {
                                        group: string;
                                    })[];
                                }[];
                            };
                            /** @description At most `count` messages of this type per receiver per window; more are skipped FREQUENCY_CAP */
                            frequencyCap?: {
                                count: number;
                                perSeconds: number;
                            };
                            /** @description Night shielding in the receiver's time zone (the subscriber's, else the app's default) */
                            quietHours?: {
                                /** @description drop: skipped QUIET_HOURS; hold: deferred to the end of the window */
                                action: "drop" | "hold";
                                /** @description 24-hour wall time, HH:MM */
                                end: string;
                                /** @description 24-hour wall time, HH:MM */
                                start: string;
                                /** @description Urgent messages are not held or dropped (default true) */
                                urgentBypass?: boolean;
                            };
                        };
                        /** @description Groups and subscribers: [{"group":"ops"}, "u1", {"subscriber":"u2"}] */
                        receivers?: ((string | {
                            subscriber: string;
                        } | {
                            email: string;
                        } | {
                            phone: string;
                        } | {
                            wecomUserId: string;
                        } | {
                            dingtalkUserId: string;
                        } | {
                            feishuOpenId: string;
                        } | {
                            wechatOpenId: string;
                        } | {
                            miniProgramOpenId: string;
                        } | {
                            telegramChatId: string;
                        } | {
                            slackChannelId: string;
                        } | {
                            pushSubscription: string;
                        } | {
                            subscriberId: string;
                        } | {
                            channelAccount: string;
                        }) | {
                            group: string;
                        })[];
                        template?: string | null;
                        /**
                         * @description The default priority of its messages
                         * @enum {unknown}
                         */
                        urgency?: "urgent" | "high" | "normal" | "low";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            category: string | null;
                            channels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            critical: boolean;
                            enabled: boolean;
                            id: string;
                            name: string;
                            policies: {
                                [key: string]: unknown;
                            };
                            /** @description A subscriber external id, or one-key objects: {"group"}, {"subscriber"}, {"email"}, {"channelAccount"}, … */
                            receivers: (string | {
                                [key: string]: string;
                            })[];
                            template: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            /** @enum {unknown} */
                            urgency: "urgent" | "high" | "normal" | "low";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search messages (newest first, cursor pagination) */
        get: {
            parameters: {
                query?: {
                    channel?: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                    cursor?: string;
                    from?: string;
                    limit?: number;
                    /** @description key:value */
                    metadata?: string;
                    /** @description A reason code in the trail: a skip, hold or failure (QUIET_HOURS, OPTED_OUT, DUPLICATE, WECOM_45009 ...) */
                    reason?: string;
                    /** @description An address or a subscriber external id */
                    receiver?: string;
                    status?: "accepted" | "completed" | "partially_failed" | "failed" | "canceled";
                    to?: string;
                    /** @description A message type code */
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                callbackUrl: string | null;
                                completedAt: string | null;
                                content: ({
                                    body?: string;
                                    summary?: string;
                                    title?: string;
                                } & {
                                    [key: string]: unknown;
                                }) | null;
                                /** Format: date-time */
                                createdAt: string;
                                deliveryCount: number;
                                id: string;
                                metadata: {
                                    [key: string]: string;
                                };
                                pendingCount: number;
                                /** @enum {unknown} */
                                priority: "urgent" | "high" | "normal" | "low";
                                sendAt: string | null;
                                /** @enum {unknown} */
                                status: "accepted" | "completed" | "partially_failed" | "failed" | "canceled";
                                template: {
                                    code: string;
                                    version: number | null;
                                } | null;
                                /** @description The message type code it was sent by */
                                type: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Send a message to receivers on channels (202: accepted and queued) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        callbackPerDelivery?: boolean;
                        /** Format: uri */
                        callbackUrl?: string;
                        /** @description Channel → account id or name, instead of the channel default */
                        channelAccounts?: {
                            [key: string]: string;
                        };
                        channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                        content?: {
                            /** @description Body in `format`. */
                            body: string;
                            /** @description How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it). */
                            format?: "markdown" | "text" | "html";
                            /** @description Summary. */
                            summary?: string;
                            /** @description Title. */
                            title?: string;
                            /** @description Link; must render to an http(s) URL. */
                            url?: string;
                        };
                        /** @description Template variables */
                        data?: {
                            [key: string]: unknown;
                        };
                        delaySeconds?: number;
                        /** @description Or the Idempotency-Key header */
                        idempotencyKey?: string;
                        /** @description Overrides the receivers' locale */
                        locale?: string;
                        metadata?: {
                            [key: string]: string;
                        };
                        /** @enum {unknown} */
                        priority?: "urgent" | "high" | "normal" | "low";
                        /**
                         * Format: date-time
                         * @description RFC 3339 with a time zone offset
                         */
                        sendAt?: string;
                        /** @description Template code; use either content or template */
                        template?: string;
                        /** @description Receivers; optional with `type` (added to its receivers) */
                        to?: ((string | {
                            subscriber: string;
                        } | {
                            email: string;
                        } | {
                            phone: string;
                        } | {
                            wecomUserId: string;
                        } | {
                            dingtalkUserId: string;
                        } | {
                            feishuOpenId: string;
                        } | {
                            wechatOpenId: string;
                        } | {
                            miniProgramOpenId: string;
                        } | {
                            telegramChatId: string;
                        } | {
                            slackChannelId: string;
                        } | {
                            pushSubscription: string;
                        } | {
                            subscriberId: string;
                        } | {
                            channelAccount: string;
                        }) | {
                            group: string;
                        })[];
                        /** @description A message type code: its receivers, channels, template and urgency unless the request gives them */
                        type?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: {
                                address: string | null;
                                channel: string;
                                id: string;
                                /** @description Why a skipped delivery is skipped (OPTED_OUT, NO_ADDRESS, DUPLICATE …) */
                                reason?: string;
                                /** @description A subscriber external id, or a one-key object: {"email"}, {"subscriber"}, {"channelAccount"}, … */
                                receiver: string | {
                                    [key: string]: string;
                                };
                                /** @enum {unknown} */
                                status: "queued" | "scheduled" | "sending" | "retrying" | "sent" | "delivered" | "read" | "recalled" | "undelivered" | "failed" | "canceled" | "skipped";
                            }[];
                            id: string;
                            /** @description When it is due, for a scheduled or delayed send */
                            sendAt: string | null;
                            /** @enum {unknown} */
                            status: "accepted" | "completed" | "partially_failed" | "failed" | "canceled";
                            /** @description The template version rendered (negative: a draft snapshot of a test send) */
                            templateVersion: number | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A message with its deliveries and full event trail */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            callbackUrl: string | null;
                            completedAt: string | null;
                            content: ({
                                body?: string;
                                summary?: string;
                                title?: string;
                            } & {
                                [key: string]: unknown;
                            }) | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Template variables of the send */
                            data: unknown;
                            deliveries: {
                                /** @description When someone acknowledged it, which stops its escalation */
                                acknowledgedAt: string | null;
                                address: string | null;
                                attempts: number;
                                channel: string;
                                channelAccountId: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description The last failure */
                                error: {
                                    code: string;
                                    message: string | null;
                                } | null;
                                id: string;
                                maxAttempts: number;
                                messageId: string;
                                nextAttemptAt: string | null;
                                providerMessageId: string | null;
                                /** @description A subscriber external id, or a one-key object: {"email"}, {"subscriber"}, {"channelAccount"}, … */
                                receiver: string | {
                                    [key: string]: string;
                                };
                                sentAt: string | null;
                                /** @enum {unknown} */
                                status: "queued" | "scheduled" | "sending" | "retrying" | "sent" | "delivered" | "read" | "recalled" | "undelivered" | "failed" | "canceled" | "skipped";
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            deliveryCount: number;
                            events: {
                                /** Format: date-time */
                                at: string;
                                attempt: number | null;
                                code: string | null;
                                deliveryId: string | null;
                                detail: string | null;
                                id: string;
                                type: string;
                            }[];
                            id: string;
                            metadata: {
                                [key: string]: string;
                            };
                            pendingCount: number;
                            /** @enum {unknown} */
                            priority: "urgent" | "high" | "normal" | "low";
                            sendAt: string | null;
                            /** @enum {unknown} */
                            status: "accepted" | "completed" | "partially_failed" | "failed" | "canceled";
                            template: {
                                code: string;
                                version: number | null;
                            } | null;
                            /** @description The message type code it was sent by */
                            type: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel the deliveries not yet being sent */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Deliveries canceled */
                            canceled: number;
                            id: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}/recall": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Recall (撤回) a message: take sent deliveries back where the platform allows it, cancel those not sent yet, and say per delivery what happened */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: {
                                address: string | null;
                                channel: string;
                                code?: string;
                                id: string;
                                message?: string;
                                /**
                                 * @description recalled; canceled (not sent yet); not_recallable (the channel cannot take a message back); not_sent (failed or skipped before); already_recalled; in_flight (being sent: recall again); failed (the platform refused, e.g. its window passed; `code` says why)
                                 * @enum {unknown}
                                 */
                                outcome: "recalled" | "canceled" | "not_recallable" | "not_sent" | "already_recalled" | "in_flight" | "failed";
                                /** @enum {unknown} */
                                status: "queued" | "scheduled" | "sending" | "retrying" | "sent" | "delivered" | "read" | "recalled" | "undelivered" | "failed" | "canceled" | "skipped";
                            }[];
                            id: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send one message to up to 1,000 receivers, each with its own variables */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        callbackPerDelivery?: boolean;
                        /** Format: uri */
                        callbackUrl?: string;
                        /** @description Channel → account id or name, instead of the channel default */
                        channelAccounts?: {
                            [key: string]: string;
                        };
                        channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                        content?: {
                            /** @description Body in `format`. */
                            body: string;
                            /** @description How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it). */
                            format?: "markdown" | "text" | "html";
                            /** @description Summary. */
                            summary?: string;
                            /** @description Title. */
                            title?: string;
                            /** @description Link; must render to an http(s) URL. */
                            url?: string;
                        };
                        /** @description Template variables */
                        data?: {
                            [key: string]: unknown;
                        };
                        delaySeconds?: number;
                        /** @description Or the Idempotency-Key header */
                        idempotencyKey?: string;
                        /** @description Overrides the receivers' locale */
                        locale?: string;
                        metadata?: {
                            [key: string]: string;
                        };
                        /** @enum {unknown} */
                        priority?: "urgent" | "high" | "normal" | "low";
                        receivers: {
                            /** @description Template variables */
                            data?: {
                                [key: string]: unknown;
                            };
                            to: string | {
                                subscriber: string;
                            } | {
                                email: string;
                            } | {
                                phone: string;
                            } | {
                                wecomUserId: string;
                            } | {
                                dingtalkUserId: string;
                            } | {
                                feishuOpenId: string;
                            } | {
                                wechatOpenId: string;
                            } | {
                                miniProgramOpenId: string;
                            } | {
                                telegramChatId: string;
                            } | {
                                slackChannelId: string;
                            } | {
                                pushSubscription: string;
                            } | {
                                subscriberId: string;
                            } | {
                                channelAccount: string;
                            };
                        }[];
                        /**
                         * Format: date-time
                         * @description RFC 3339 with a time zone offset
                         */
                        sendAt?: string;
                        /** @description Template code; use either content or template */
                        template?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: {
                                address: string | null;
                                channel: string;
                                id: string;
                                /** @description Why a skipped delivery is skipped (OPTED_OUT, NO_ADDRESS, DUPLICATE …) */
                                reason?: string;
                                /** @description A subscriber external id, or a one-key object: {"email"}, {"subscriber"}, {"channelAccount"}, … */
                                receiver: string | {
                                    [key: string]: string;
                                };
                                /** @enum {unknown} */
                                status: "queued" | "scheduled" | "sending" | "retrying" | "sent" | "delivered" | "read" | "recalled" | "undelivered" | "failed" | "canceled" | "skipped";
                            }[];
                            id: string;
                            /** @description When it is due, for a scheduled or delayed send */
                            sendAt: string | null;
                            /** @enum {unknown} */
                            status: "accepted" | "completed" | "partially_failed" | "failed" | "canceled";
                            /** @description The template version rendered (negative: a draft snapshot of a test send) */
                            templateVersion: number | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/quotas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Quota status of every channel account: configured quota with Herald's count, what the platform reports, and exhaustion marks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                accountId: string;
                                /** @enum {unknown} */
                                channel: "email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord";
                                configured: {
                                    limit: number;
                                    period: "day" | "month" | "balance";
                                    remaining: number;
                                    /** @description null: a balance, which never resets */
                                    resetsAt: string | null;
                                    used: number;
                                } | null;
                                enabled: boolean;
                                /** @description A provider's quota error marked the account exhausted: it sends again after until (null: after a reset) */
                                exhausted: {
                                    code: string;
                                    message: string;
                                    /** Format: date-time */
                                    since: string;
                                    until: string | null;
                                } | null;
                                /** @description The tighter of the configured and the reported limit */
                                limit: number | null;
                                name: string;
                                remaining: number | null;
                                /** @description What the platform last reported */
                                reported: {
                                    /** Format: date-time */
                                    at: string;
                                    limit: number;
                                    remaining: number;
                                    used: number;
                                } | null;
                                type: string;
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receiver-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All receiver groups of the app, by name */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                description: string;
                                id: string;
                                members: string[];
                                name: string;
                                tagFilter: string[];
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a receiver group: static members and/or a tag filter (409 RECEIVER_GROUP_EXISTS when the name is taken)
         * @description A message reaches at most 1000 receivers: a send to a larger group is refused with 422 GROUP_TOO_LARGE.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        /** @description Subscriber external ids */
                        members?: string[];
                        /** @description Unique in the app; sends name it as {"group": name} */
                        name: string;
                        /** @description Also every subscriber having all of these tags */
                        tagFilter?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            id: string;
                            members: string[];
                            name: string;
                            tagFilter: string[];
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/receiver-groups/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A receiver group */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Unique in the app; sends name it as {"group": name} */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            id: string;
                            members: string[];
                            name: string;
                            tagFilter: string[];
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a receiver group */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Unique in the app; sends name it as {"group": name} */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a group; members and tagFilter are replaced when given */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Unique in the app; sends name it as {"group": name} */
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        /** @description Subscriber external ids */
                        members?: string[];
                        /** @description Also every subscriber having all of these tags */
                        tagFilter?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            id: string;
                            members: string[];
                            name: string;
                            tagFilter: string[];
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/receiver-groups/{name}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the group reaches now (subscriber external ids) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Unique in the app; sends name it as {"group": name} */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: string[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The app's schedules with their next run times */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                at: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                cron: string | null;
                                id: string;
                                lastRun: {
                                    error: string | null;
                                    messageId: string | null;
                                    outcome: "sent" | "skipped" | "failed";
                                    /** Format: date-time */
                                    tickAt: string;
                                } | null;
                                /** @description The send request each tick accepts */
                                message: {
                                    [key: string]: unknown;
                                };
                                /** @enum {unknown} */
                                missedTicks: "run-once" | "skip";
                                name: string;
                                nextRunAt: string | null;
                                nextRuns: string[];
                                runs: number;
                                /** @description finished: a one-off that ran */
                                status: "active" | "paused" | "finished";
                                timeZone: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Schedule a message on a cron expression or once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description One-off: RFC 3339 time with an offset
                         */
                        at?: string;
                        /** @description Cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first; use either cron or at */
                        cron?: string;
                        message: {
                            callbackPerDelivery?: boolean;
                            /** Format: uri */
                            callbackUrl?: string;
                            /** @description Channel → account id or name, instead of the channel default */
                            channelAccounts?: {
                                [key: string]: string;
                            };
                            channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            content?: {
                                /** @description Body in `format`. */
                                body: string;
                                /** @description How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it). */
                                format?: "markdown" | "text" | "html";
                                /** @description Summary. */
                                summary?: string;
                                /** @description Title. */
                                title?: string;
                                /** @description Link; must render to an http(s) URL. */
                                url?: string;
                            };
                            /** @description Template variables */
                            data?: {
                                [key: string]: unknown;
                            };
                            delaySeconds?: number;
                            /** @description Or the Idempotency-Key header */
                            idempotencyKey?: string;
                            /** @description Overrides the receivers' locale */
                            locale?: string;
                            metadata?: {
                                [key: string]: string;
                            };
                            /** @enum {unknown} */
                            priority?: "urgent" | "high" | "normal" | "low";
                            /**
                             * Format: date-time
                             * @description RFC 3339 with a time zone offset
                             */
                            sendAt?: string;
                            /** @description Template code; use either content or template */
                            template?: string;
                            /** @description Receivers; optional with `type` (added to its receivers) */
                            to?: ((string | {
                                subscriber: string;
                            } | {
                                email: string;
                            } | {
                                phone: string;
                            } | {
                                wecomUserId: string;
                            } | {
                                dingtalkUserId: string;
                            } | {
                                feishuOpenId: string;
                            } | {
                                wechatOpenId: string;
                            } | {
                                miniProgramOpenId: string;
                            } | {
                                telegramChatId: string;
                            } | {
                                slackChannelId: string;
                            } | {
                                pushSubscription: string;
                            } | {
                                subscriberId: string;
                            } | {
                                channelAccount: string;
                            }) | {
                                group: string;
                            })[];
                            /** @description A message type code: its receivers, channels, template and urgency unless the request gives them */
                            type?: string;
                        };
                        /**
                         * @description A tick the schedulers missed (down when it fell): run-once sends one message on recovery for all the ticks missed; skip drops them (default run-once)
                         * @enum {unknown}
                         */
                        missedTicks?: "run-once" | "skip";
                        name: string;
                        /** @description IANA time zone the cron expression is read in (default UTC) */
                        timeZone?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            at: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            cron: string | null;
                            id: string;
                            lastRun: {
                                error: string | null;
                                messageId: string | null;
                                outcome: "sent" | "skipped" | "failed";
                                /** Format: date-time */
                                tickAt: string;
                            } | null;
                            /** @description The send request each tick accepts */
                            message: {
                                [key: string]: unknown;
                            };
                            /** @enum {unknown} */
                            missedTicks: "run-once" | "skip";
                            name: string;
                            nextRunAt: string | null;
                            nextRuns: string[];
                            runs: number;
                            /** @description finished: a one-off that ran */
                            status: "active" | "paused" | "finished";
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A schedule with its next run times and last run */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            at: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            cron: string | null;
                            id: string;
                            lastRun: {
                                error: string | null;
                                messageId: string | null;
                                outcome: "sent" | "skipped" | "failed";
                                /** Format: date-time */
                                tickAt: string;
                            } | null;
                            /** @description The send request each tick accepts */
                            message: {
                                [key: string]: unknown;
                            };
                            /** @enum {unknown} */
                            missedTicks: "run-once" | "skip";
                            name: string;
                            nextRunAt: string | null;
                            nextRuns: string[];
                            runs: number;
                            /** @description finished: a one-off that ran */
                            status: "active" | "paused" | "finished";
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a schedule */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a schedule; a new cron, time zone or time counts from now */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description One-off: RFC 3339 time with an offset
                         */
                        at?: string;
                        /** @description Cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first; use either cron or at */
                        cron?: string;
                        message?: {
                            callbackPerDelivery?: boolean;
                            /** Format: uri */
                            callbackUrl?: string;
                            /** @description Channel → account id or name, instead of the channel default */
                            channelAccounts?: {
                                [key: string]: string;
                            };
                            channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            content?: {
                                /** @description Body in `format`. */
                                body: string;
                                /** @description How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it). */
                                format?: "markdown" | "text" | "html";
                                /** @description Summary. */
                                summary?: string;
                                /** @description Title. */
                                title?: string;
                                /** @description Link; must render to an http(s) URL. */
                                url?: string;
                            };
                            /** @description Template variables */
                            data?: {
                                [key: string]: unknown;
                            };
                            delaySeconds?: number;
                            /** @description Or the Idempotency-Key header */
                            idempotencyKey?: string;
                            /** @description Overrides the receivers' locale */
                            locale?: string;
                            metadata?: {
                                [key: string]: string;
                            };
                            /** @enum {unknown} */
                            priority?: "urgent" | "high" | "normal" | "low";
                            /**
                             * Format: date-time
                             * @description RFC 3339 with a time zone offset
                             */
                            sendAt?: string;
                            /** @description Template code; use either content or template */
                            template?: string;
                            /** @description Receivers; optional with `type` (added to its receivers) */
                            to?: ((string | {
                                subscriber: string;
                            } | {
                                email: string;
                            } | {
                                phone: string;
                            } | {
                                wecomUserId: string;
                            } | {
                                dingtalkUserId: string;
                            } | {
                                feishuOpenId: string;
                            } | {
                                wechatOpenId: string;
                            } | {
                                miniProgramOpenId: string;
                            } | {
                                telegramChatId: string;
                            } | {
                                slackChannelId: string;
                            } | {
                                pushSubscription: string;
                            } | {
                                subscriberId: string;
                            } | {
                                channelAccount: string;
                            }) | {
                                group: string;
                            })[];
                            /** @description A message type code: its receivers, channels, template and urgency unless the request gives them */
                            type?: string;
                        };
                        /**
                         * @description A tick the schedulers missed (down when it fell): run-once sends one message on recovery for all the ticks missed; skip drops them (default run-once)
                         * @enum {unknown}
                         */
                        missedTicks?: "run-once" | "skip";
                        name?: string;
                        /** @description IANA time zone the cron expression is read in (default UTC) */
                        timeZone?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            at: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            cron: string | null;
                            id: string;
                            lastRun: {
                                error: string | null;
                                messageId: string | null;
                                outcome: "sent" | "skipped" | "failed";
                                /** Format: date-time */
                                tickAt: string;
                            } | null;
                            /** @description The send request each tick accepts */
                            message: {
                                [key: string]: unknown;
                            };
                            /** @enum {unknown} */
                            missedTicks: "run-once" | "skip";
                            name: string;
                            nextRunAt: string | null;
                            nextRuns: string[];
                            runs: number;
                            /** @description finished: a one-off that ran */
                            status: "active" | "paused" | "finished";
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/schedules/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a schedule: no tick runs until it is resumed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            at: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            cron: string | null;
                            id: string;
                            lastRun: {
                                error: string | null;
                                messageId: string | null;
                                outcome: "sent" | "skipped" | "failed";
                                /** Format: date-time */
                                tickAt: string;
                            } | null;
                            /** @description The send request each tick accepts */
                            message: {
                                [key: string]: unknown;
                            };
                            /** @enum {unknown} */
                            missedTicks: "run-once" | "skip";
                            name: string;
                            nextRunAt: string | null;
                            nextRuns: string[];
                            runs: number;
                            /** @description finished: a one-off that ran */
                            status: "active" | "paused" | "finished";
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused schedule from its next tick after now */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            at: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            cron: string | null;
                            id: string;
                            lastRun: {
                                error: string | null;
                                messageId: string | null;
                                outcome: "sent" | "skipped" | "failed";
                                /** Format: date-time */
                                tickAt: string;
                            } | null;
                            /** @description The send request each tick accepts */
                            message: {
                                [key: string]: unknown;
                            };
                            /** @enum {unknown} */
                            missedTicks: "run-once" | "skip";
                            name: string;
                            nextRunAt: string | null;
                            nextRuns: string[];
                            runs: number;
                            /** @description finished: a one-off that ran */
                            status: "active" | "paused" | "finished";
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats/accepted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deliveries accepted over time per channel
         * @description Counted when a message is accepted (a delivery per receiver and channel, skipped-up-front ones included). Read from per-minute counters kept for 31 days. Every series has a point per bucket, zeros included.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Whole minutes; default 3600 */
                    bucketSeconds?: number;
                    /** @description Default: 24 hours before to */
                    from?: string;
                    /** @description Default: now */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bucketSeconds: number;
                            /** Format: date-time */
                            from: string;
                            series: {
                                /** @description Deliveries accepted over the range, skipped-up-front ones included */
                                accepted: number;
                                channel: string;
                                points: {
                                    accepted: number;
                                    /** Format: date-time */
                                    at: string;
                                }[];
                            }[];
                            /** Format: date-time */
                            to: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats/latency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Accept-to-sent latency over time per channel: p50, p90 and p99
         * @description Percentiles are estimated from a per-minute histogram of sent deliveries (bucket bounds 50 ms, 100 ms, 250 ms, 500 ms, 1 s, 2.5 s, 5 s, 10 s, 30 s, 1 min, 5 min, 15 min, 1 h): linear within a bucket, and "at least 1 h" (3600000) beyond the last bound. Latency runs from the delivery's acceptance, so a scheduled message counts its wait. Read from per-minute counters kept for 31 days. Every series has a point per bucket, zeros included. Buckets without sends have null percentiles.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Whole minutes; default 3600 */
                    bucketSeconds?: number;
                    /** @description Default: 24 hours before to */
                    from?: string;
                    /** @description Default: now */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bucketSeconds: number;
                            /** Format: date-time */
                            from: string;
                            series: {
                                channel: string;
                                /** @description Median accept-to-sent latency, estimated from the histogram; null without sends */
                                p50Ms: number | null;
                                /** @description 90th percentile, estimated from the histogram; null without sends */
                                p90Ms: number | null;
                                /** @description 99th percentile, estimated from the histogram; null without sends */
                                p99Ms: number | null;
                                points: {
                                    /** Format: date-time */
                                    at: string;
                                    /** @description Median accept-to-sent latency, estimated from the histogram; null without sends */
                                    p50Ms: number | null;
                                    /** @description 90th percentile, estimated from the histogram; null without sends */
                                    p90Ms: number | null;
                                    /** @description 99th percentile, estimated from the histogram; null without sends */
                                    p99Ms: number | null;
                                    /** @description Deliveries sent */
                                    sent: number;
                                }[];
                                /** @description Deliveries sent */
                                sent: number;
                            }[];
                            /** Format: date-time */
                            to: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats/provider-calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Provider calls over time per channel or channel account: sent vs failed (retried, rate limited or failed), with success rates
         * @description Read from per-minute counters kept for 31 days. Every series has a point per bucket, zeros included.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Whole minutes; default 3600 */
                    bucketSeconds?: number;
                    /** @description Default: 24 hours before to */
                    from?: string;
                    /** @description One series per channel (default) or per channel account id */
                    groupBy?: "channel" | "account";
                    /** @description Default: now */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bucketSeconds: number;
                            /** Format: date-time */
                            from: string;
                            series: {
                                failed: number;
                                /** @description The channel name, or the channel account id */
                                key: string;
                                points: {
                                    /** Format: date-time */
                                    at: string;
                                    failed: number;
                                    succeeded: number;
                                }[];
                                succeeded: number;
                                /** @description Succeeded ÷ all calls, in percent (one decimal); null without calls */
                                successPercent: number | null;
                            }[];
                            /** Format: date-time */
                            to: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The app's backlog: waiting deliveries by status and how long the oldest due one has been due
         * @description Cached for 5 seconds per app.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: date-time
                             * @description When these figures were read
                             */
                            at: string;
                            /** @description Waiting deliveries by status, zeros included */
                            depth: {
                                queued: number;
                                retrying: number;
                                scheduled: number;
                            };
                            /** @description How long the oldest due delivery has been due; 0 when none is */
                            oldestDueSeconds: number;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscribers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List subscribers in creation order, a page at a time, optionally by external id or name prefix and tag */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                    /** @description Only subscribers whose external id or name starts with this, ignoring case */
                    q?: string;
                    /** @description Only subscribers with this tag */
                    tag?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description E-mail, E.164 phone (+8613800138000) and per-IM user ids */
                                addresses: {
                                    dingtalkUserId?: string;
                                    email?: string;
                                    feishuOpenId?: string;
                                    miniProgramOpenId?: string;
                                    phone?: string;
                                    slackChannelId?: string;
                                    telegramChatId?: string;
                                    wechatOpenId?: string;
                                    wecomUserId?: string;
                                };
                                /** Format: date-time */
                                createdAt: string;
                                data: {
                                    [key: string]: unknown;
                                };
                                externalId: string;
                                id: string;
                                locale: string | null;
                                name: string;
                                tags: string[];
                                timezone: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description Pass as cursor for the next page; null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** Create or replace up to 1000 subscribers in one transaction (all or nothing) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 1000 */
                        items: {
                            /** @description E-mail, E.164 phone (+8613800138000) and per-IM user ids */
                            addresses?: {
                                dingtalkUserId?: string;
                                email?: string;
                                feishuOpenId?: string;
                                miniProgramOpenId?: string;
                                phone?: string;
                                slackChannelId?: string;
                                telegramChatId?: string;
                                wechatOpenId?: string;
                                wecomUserId?: string;
                            };
                            /** @description Custom data for templates (subscriber.data), at most 16 KiB of JSON */
                            data?: {
                                [key: string]: unknown;
                            };
                            /** @description The calling system's own id for this receiver */
                            externalId: string;
                            locale?: string | null;
                            name?: string;
                            /** @description Labels receiver groups select by (tagFilter), e.g. ["oncall", "dba"] */
                            tags?: string[];
                            timezone?: string | null;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: number;
                            updated: number;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** Create a subscriber (409 SUBSCRIBER_EXISTS when the external id is taken) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description E-mail, E.164 phone (+8613800138000) and per-IM user ids */
                        addresses?: {
                            dingtalkUserId?: string;
                            email?: string;
                            feishuOpenId?: string;
                            miniProgramOpenId?: string;
                            phone?: string;
                            slackChannelId?: string;
                            telegramChatId?: string;
                            wechatOpenId?: string;
                            wecomUserId?: string;
                        };
                        /** @description Custom data for templates (subscriber.data), at most 16 KiB of JSON */
                        data?: {
                            [key: string]: unknown;
                        };
                        /** @description The calling system's own id for this receiver */
                        externalId: string;
                        locale?: string | null;
                        name?: string;
                        /** @description Labels receiver groups select by (tagFilter), e.g. ["oncall", "dba"] */
                        tags?: string[];
                        timezone?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description E-mail, E.164 phone (+8613800138000) and per-IM user ids */
                            addresses: {
                                dingtalkUserId?: string;
                                email?: string;
                                feishuOpenId?: string;
                                miniProgramOpenId?: string;
                                phone?: string;
                                slackChannelId?: string;
                                telegramChatId?: string;
                                wechatOpenId?: string;
                                wecomUserId?: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            data: {
                                [key: string]: unknown;
                            };
                            externalId: string;
                            id: string;
                            locale: string | null;
                            name: string;
                            tags: string[];
                            timezone: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscribers/{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a subscriber by external id */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The calling system's own id for this receiver */
                    externalId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description E-mail, E.164 phone (+8613800138000) and per-IM user ids */
                            addresses: {
                                dingtalkUserId?: string;
                                email?: string;
                                feishuOpenId?: string;
                                miniProgramOpenId?: string;
                                phone?: string;
                                slackChannelId?: string;
                                telegramChatId?: string;
                                wechatOpenId?: string;
                                wecomUserId?: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            data: {
                                [key: string]: unknown;
                            };
                            externalId: string;
                            id: string;
                            locale: string | null;
                            name: string;
                            tags: string[];
                            timezone: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a subscriber */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The calling system's own id for this receiver */
                    externalId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change some fields of a subscriber
         * @description Omitted fields stay. null clears locale or timezone; addresses merge per kind, null removing one; data is replaced as a whole.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The calling system's own id for this receiver */
                    externalId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        addresses?: {
                            dingtalkUserId?: string | null;
                            email?: string | null;
                            feishuOpenId?: string | null;
                            miniProgramOpenId?: string | null;
                            phone?: string | null;
                            slackChannelId?: string | null;
                            telegramChatId?: string | null;
                            wechatOpenId?: string | null;
                            wecomUserId?: string | null;
                        };
                        /** @description Custom data for templates (subscriber.data), at most 16 KiB of JSON */
                        data?: {
                            [key: string]: unknown;
                        };
                        locale?: string | null;
                        name?: string;
                        /** @description Labels receiver groups select by (tagFilter), e.g. ["oncall", "dba"] */
                        tags?: string[];
                        timezone?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description E-mail, E.164 phone (+8613800138000) and per-IM user ids */
                            addresses: {
                                dingtalkUserId?: string;
                                email?: string;
                                feishuOpenId?: string;
                                miniProgramOpenId?: string;
                                phone?: string;
                                slackChannelId?: string;
                                telegramChatId?: string;
                                wechatOpenId?: string;
                                wecomUserId?: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            data: {
                                [key: string]: unknown;
                            };
                            externalId: string;
                            id: string;
                            locale: string | null;
                            name: string;
                            tags: string[];
                            timezone: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/subscribers/{externalId}/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A subscriber's opt-outs ({} when none) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The calling system's own id for this receiver */
                    externalId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false: opted out of everything not switched on more specifically */
                            all?: boolean;
                            /** @description Per message type category */
                            categories?: {
                                [key: string]: boolean;
                            };
                            /** @description Per channel, e.g. {"sms": false} */
                            channels?: {
                                dingtalk?: boolean;
                                discord?: boolean;
                                email?: boolean;
                                feishu?: boolean;
                                inbox?: boolean;
                                miniprogram?: boolean;
                                slack?: boolean;
                                sms?: boolean;
                                telegram?: boolean;
                                webhook?: boolean;
                                webpush?: boolean;
                                wechat?: boolean;
                                wecom?: boolean;
                            };
                            /** @description Per message type code */
                            types?: {
                                [key: string]: boolean;
                            };
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /**
         * Replace a subscriber's opt-outs
         * @description A message of a type is received unless the most specific setting among types[code], categories[category], all is false; and not on a channel whose channels[channel] is false. Critical types bypass opt-outs. Skipped deliveries have reason OPTED_OUT.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The calling system's own id for this receiver */
                    externalId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description false: opted out of everything not switched on more specifically */
                        all?: boolean;
                        /** @description Per message type category */
                        categories?: {
                            [key: string]: boolean;
                        };
                        /** @description Per channel, e.g. {"sms": false} */
                        channels?: {
                            dingtalk?: boolean;
                            discord?: boolean;
                            email?: boolean;
                            feishu?: boolean;
                            inbox?: boolean;
                            miniprogram?: boolean;
                            slack?: boolean;
                            sms?: boolean;
                            telegram?: boolean;
                            webhook?: boolean;
                            webpush?: boolean;
                            wechat?: boolean;
                            wecom?: boolean;
                        };
                        /** @description Per message type code */
                        types?: {
                            [key: string]: boolean;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false: opted out of everything not switched on more specifically */
                            all?: boolean;
                            /** @description Per message type category */
                            categories?: {
                                [key: string]: boolean;
                            };
                            /** @description Per channel, e.g. {"sms": false} */
                            channels?: {
                                dingtalk?: boolean;
                                discord?: boolean;
                                email?: boolean;
                                feishu?: boolean;
                                inbox?: boolean;
                                miniprogram?: boolean;
                                slack?: boolean;
                                sms?: boolean;
                                telegram?: boolean;
                                webhook?: boolean;
                                webpush?: boolean;
                                wechat?: boolean;
                                wecom?: boolean;
                            };
                            /** @description Per message type code */
                            types?: {
                                [key: string]: boolean;
                            };
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscribers/{externalId}/push-subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A subscriber's push subscriptions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The calling system's own id for this receiver */
                    externalId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                endpoint: string;
                                /** @description The pushSubscription address of this browser: { "pushSubscription": "wps_..." } sends to it alone */
                                id: string;
                                /** Format: date-time */
                                updatedAt: string;
                                userAgent: string | null;
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Store a browser's push subscription for a subscriber (201 new, 200 when the endpoint was known) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The calling system's own id for this receiver */
                    externalId: string;
                };
                cookie?: never;
            };
            /** @description JSON.stringify(pushSubscription) from the browser */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The browser's push service URL (https:) */
                        endpoint: string;
                        /** @description As PushSubscription.toJSON() gives it; not used */
                        expirationTime?: number | null;
                        keys: {
                            /** @description The auth secret, base64url (16 bytes) */
                            auth: string;
                            /** @description The browser's P-256 public key, base64url (65 bytes) */
                            p256dh: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            endpoint: string;
                            /** @description The pushSubscription address of this browser: { "pushSubscription": "wps_..." } sends to it alone */
                            id: string;
                            /** Format: date-time */
                            updatedAt: string;
                            userAgent: string | null;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            endpoint: string;
                            /** @description The pushSubscription address of this browser: { "pushSubscription": "wps_..." } sends to it alone */
                            id: string;
                            /** Format: date-time */
                            updatedAt: string;
                            userAgent: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscribers/{externalId}/push-subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a push subscription */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The calling system's own id for this receiver */
                    externalId: string;
                    /** @description The push subscription id (wps_...) */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List templates by code, a page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                code: string;
                                /** Format: date-time */
                                createdAt: string;
                                defaultChannels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                                description: string;
                                hasUnpublishedChanges: boolean;
                                id: string;
                                name: string;
                                /** @description The version sends use; null until the draft is first published */
                                publishedVersion: number | null;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create a template (a draft; publish it to send with it) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-" */
                        code: string;
                        /** @description Template content: { title?, summary?, body, bodyFormat?: markdown|text|html, url?, defaultLocale?, channels?: { email: { subject, html, text }, sms: { templateCode, params, text }, dingtalk: { title, markdown }, ... }, locales?: { "zh-CN": { ...fields to replace } } }. Every string is Liquid. */
                        content: unknown;
                        /** @description Channels a send uses when it names none: email, sms, webhook, dingtalk, wecom, feishu, wechat, miniprogram, inbox, webpush, slack, telegram, discord */
                        defaultChannels?: string[];
                        description?: string;
                        name?: string;
                        /** @description Publish the saved draft as the next version in the same step */
                        publish?: boolean;
                        /** @description Declared variables: [{ name, type: string|number|boolean|object|array, required?, example?, description? }] */
                        variables?: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            content: {
                                body?: string;
                                /** @description How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it). */
                                bodyFormat?: "markdown" | "text" | "html";
                                channels?: {
                                    [key: string]: unknown;
                                };
                                defaultLocale?: string;
                                locales?: {
                                    [key: string]: unknown;
                                };
                                summary?: string;
                                title?: string;
                                url?: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            defaultChannels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            description: string;
                            hasUnpublishedChanges: boolean;
                            id: string;
                            name: string;
                            /** @description The version sends use; null until the draft is first published */
                            publishedVersion: number | null;
                            /** Format: date-time */
                            updatedAt: string;
                            variables: {
                                description?: string;
                                example?: unknown;
                                /** @description Top-level name used in Liquid, e.g. `order`. */
                                name: string;
                                /** @description A message without it is refused (422). Defaults to false. */
                                required?: boolean;
                                type: "string" | "number" | "boolean" | "object" | "array";
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A template with its draft and published version number */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-" */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            content: {
                                body?: string;
                                /** @description How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it). */
                                bodyFormat?: "markdown" | "text" | "html";
                                channels?: {
                                    [key: string]: unknown;
                                };
                                defaultLocale?: string;
                                locales?: {
                                    [key: string]: unknown;
                                };
                                summary?: string;
                                title?: string;
                                url?: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            defaultChannels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            description: string;
                            hasUnpublishedChanges: boolean;
                            id: string;
                            name: string;
                            /** @description The version sends use; null until the draft is first published */
                            publishedVersion: number | null;
                            /** Format: date-time */
                            updatedAt: string;
                            variables: {
                                description?: string;
                                example?: unknown;
                                /** @description Top-level name used in Liquid, e.g. `order`. */
                                name: string;
                                /** @description A message without it is refused (422). Defaults to false. */
                                required?: boolean;
                                type: "string" | "number" | "boolean" | "object" | "array";
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a template and its versions (refused while messages using it are still being delivered) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-" */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Edit the draft (sends keep using the published version until the draft is published) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-" */
                    code: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Template content: { title?, summary?, body, bodyFormat?: markdown|text|html, url?, defaultLocale?, channels?: { email: { subject, html, text }, sms: { templateCode, params, text }, dingtalk: { title, markdown }, ... }, locales?: { "zh-CN": { ...fields to replace } } }. Every string is Liquid. */
                        content?: unknown;
                        /** @description Channels a send uses when it names none: email, sms, webhook, dingtalk, wecom, feishu, wechat, miniprogram, inbox, webpush, slack, telegram, discord */
                        defaultChannels?: string[];
                        description?: string;
                        name?: string;
                        /** @description Publish the saved draft as the next version in the same step */
                        publish?: boolean;
                        /** @description Declared variables: [{ name, type: string|number|boolean|object|array, required?, example?, description? }] */
                        variables?: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            content: {
                                body?: string;
                                /** @description How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it). */
                                bodyFormat?: "markdown" | "text" | "html";
                                channels?: {
                                    [key: string]: unknown;
                                };
                                defaultLocale?: string;
                                locales?: {
                                    [key: string]: unknown;
                                };
                                summary?: string;
                                title?: string;
                                url?: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            defaultChannels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            description: string;
                            hasUnpublishedChanges: boolean;
                            id: string;
                            name: string;
                            /** @description The version sends use; null until the draft is first published */
                            publishedVersion: number | null;
                            /** Format: date-time */
                            updatedAt: string;
                            variables: {
                                description?: string;
                                example?: unknown;
                                /** @description Top-level name used in Liquid, e.g. `order`. */
                                name: string;
                                /** @description A message without it is refused (422). Defaults to false. */
                                required?: boolean;
                                type: "string" | "number" | "boolean" | "object" | "array";
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/templates/{code}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Render the draft or a version for each channel, as receivers would get it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-" */
                    code: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                        /** @description Template variables; defaults to the variables' example values */
                        data?: {
                            [key: string]: unknown;
                        };
                        /** @description Receiver locale the variant is chosen by, e.g. zh-CN */
                        locale?: string;
                        /** @description A version number, or "draft" (the default) */
                        version?: number | "draft";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            channels: {
                                dingtalk?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                discord?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                email?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                feishu?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                inbox?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                miniprogram?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                slack?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                sms?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                telegram?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                webhook?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                webpush?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                wechat?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                wecom?: {
                                    /** @description Channel-specific structured parts from template overrides */
                                    extras?: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Sanitised HTML with inlined CSS (e-mail) */
                                    html?: string;
                                    /** @description Markdown in this channel's dialect */
                                    markdown: string;
                                    summary?: string;
                                    /** @description Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail */
                                    text: string;
                                    title: string;
                                    url?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                            };
                            version: number | "draft";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{code}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish the draft as the next version; sends use it from now on */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-" */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            content: {
                                body?: string;
                                /** @description How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it). */
                                bodyFormat?: "markdown" | "text" | "html";
                                channels?: {
                                    [key: string]: unknown;
                                };
                                defaultLocale?: string;
                                locales?: {
                                    [key: string]: unknown;
                                };
                                summary?: string;
                                title?: string;
                                url?: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            defaultChannels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            description: string;
                            hasUnpublishedChanges: boolean;
                            id: string;
                            name: string;
                            /** @description The version sends use; null until the draft is first published */
                            publishedVersion: number | null;
                            /** Format: date-time */
                            updatedAt: string;
                            variables: {
                                description?: string;
                                example?: unknown;
                                /** @description Top-level name used in Liquid, e.g. `order`. */
                                name: string;
                                /** @description A message without it is refused (422). Defaults to false. */
                                required?: boolean;
                                type: "string" | "number" | "boolean" | "object" | "array";
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{code}/test-send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the draft or a version to a few receivers as a real, traced message (metadata testSend: "true")
         * @description A draft that differs from the published version is stored as a draft snapshot, a version with a negative number that is never published; the message records it as its template version.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-" */
                    code: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channels?: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                        /** @description Template variables; defaults to the variables' example values */
                        data?: {
                            [key: string]: unknown;
                        };
                        /** @description Receiver locale the variant is chosen by, e.g. zh-CN */
                        locale?: string;
                        to: (string | {
                            subscriber: string;
                        } | {
                            email: string;
                        } | {
                            phone: string;
                        } | {
                            wecomUserId: string;
                        } | {
                            dingtalkUserId: string;
                        } | {
                            feishuOpenId: string;
                        } | {
                            wechatOpenId: string;
                        } | {
                            miniProgramOpenId: string;
                        } | {
                            telegramChatId: string;
                        } | {
                            slackChannelId: string;
                        } | {
                            pushSubscription: string;
                        } | {
                            subscriberId: string;
                        } | {
                            channelAccount: string;
                        })[];
                        /** @description A version number, or "draft" (the default) */
                        version?: number | "draft";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: {
                                address: string | null;
                                channel: string;
                                id: string;
                                /** @description Why a skipped delivery is skipped (OPTED_OUT, NO_ADDRESS, DUPLICATE …) */
                                reason?: string;
                                /** @description A subscriber external id, or a one-key object: {"email"}, {"subscriber"}, {"channelAccount"}, … */
                                receiver: string | {
                                    [key: string]: string;
                                };
                                /** @enum {unknown} */
                                status: "queued" | "scheduled" | "sending" | "retrying" | "sent" | "delivered" | "read" | "recalled" | "undelivered" | "failed" | "canceled" | "skipped";
                            }[];
                            id: string;
                            /** @description When it is due, for a scheduled or delayed send */
                            sendAt: string | null;
                            /** @enum {unknown} */
                            status: "accepted" | "completed" | "partially_failed" | "failed" | "canceled";
                            /** @description The template version rendered (negative: a draft snapshot of a test send) */
                            templateVersion: number | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{code}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Published versions, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: number;
                    limit?: number;
                };
                header?: never;
                path: {
                    /** @description Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-" */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description The version sends use now */
                                current: boolean;
                                kind: "published" | "draft-snapshot";
                                /** Format: date-time */
                                publishedAt: string;
                                /** @description The console user's e-mail or the access key id that published it */
                                publishedBy: string | null;
                                /** @description Negative: a draft snapshot recorded by a test send */
                                version: number;
                            }[];
                            nextCursor: number | null;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{code}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One version with its content */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Stable code callers send with, e.g. order.paid: a-z, 0-9, ".", "_", "-" */
                    code: string;
                    /** @description A published version; negative numbers are draft snapshots recorded by test sends */
                    version: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: {
                                body?: string;
                                /** @description How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it). */
                                bodyFormat?: "markdown" | "text" | "html";
                                channels?: {
                                    [key: string]: unknown;
                                };
                                defaultLocale?: string;
                                locales?: {
                                    [key: string]: unknown;
                                };
                                summary?: string;
                                title?: string;
                                url?: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @description The version sends use now */
                            current: boolean;
                            defaultChannels: ("email" | "sms" | "webhook" | "dingtalk" | "wecom" | "feishu" | "wechat" | "miniprogram" | "inbox" | "webpush" | "slack" | "telegram" | "discord")[];
                            kind: "published" | "draft-snapshot";
                            /** Format: date-time */
                            publishedAt: string;
                            /** @description The console user's e-mail or the access key id that published it */
                            publishedBy: string | null;
                            variables: {
                                description?: string;
                                example?: unknown;
                                /** @description Top-level name used in Liquid, e.g. `order`. */
                                name: string;
                                /** @description A message without it is refused (422). Defaults to false. */
                                required?: boolean;
                                type: "string" | "number" | "boolean" | "object" | "array";
                            }[];
                            /** @description Negative: a draft snapshot recorded by a test send */
                            version: number;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List console users */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                email: string;
                                id: string;
                                lastLoginAt: string | null;
                                name: string;
                                /** @enum {unknown} */
                                role: "owner" | "admin" | "operator" | "viewer";
                                status: "active" | "disabled";
                            }[];
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create a console user */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        name?: string;
                        password: string;
                        /** @enum {unknown} */
                        role: "owner" | "admin" | "operator" | "viewer";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string;
                            id: string;
                            lastLoginAt: string | null;
                            name: string;
                            /** @enum {unknown} */
                            role: "owner" | "admin" | "operator" | "viewer";
                            status: "active" | "disabled";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a user (role, status, name, password) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Required to change your own password */
                        currentPassword?: string;
                        name?: string;
                        password?: string;
                        /** @enum {unknown} */
                        role?: "owner" | "admin" | "operator" | "viewer";
                        status?: "active" | "disabled";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string;
                            id: string;
                            lastLoginAt: string | null;
                            name: string;
                            /** @enum {unknown} */
                            role: "owner" | "admin" | "operator" | "viewer";
                            status: "active" | "disabled";
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/web-push/vapid-public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The app's VAPID public key (base64url), for pushManager.subscribe({ applicationServerKey }) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description base64url, for pushManager.subscribe({ applicationServerKey }) */
                            publicKey: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling app and access key, or console user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessKeyId: string;
                            appId: string;
                            appName: string;
                            /** @enum {string} */
                            kind: "app";
                        } | {
                            email: string;
                            /** @enum {string} */
                            kind: "user";
                            /** @enum {unknown} */
                            role: "owner" | "admin" | "operator" | "viewer";
                            userId: string;
                        };
                    };
                };
                /** @description Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After. */
                default: {
                    headers: {
                        /** @description Seconds to wait, on 429 and 503 */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Problem details (RFC 9457) with members a problem kind may add (field, errors, retryAfterSeconds, …) */
        Problem: {
            /** @description Stable machine-readable code, e.g. VALIDATION_FAILED, SIGNATURE_REPLAYED, STORAGE_UNAVAILABLE */
            code: string;
            /** @description What went wrong and what to do about it, for a person */
            detail: string;
            instance?: string;
            status: number;
            /** @description The HTTP status's phrase */
            title: string;
            /** @description A URI naming the problem kind */
            type: string;
        } & {
            [key: string]: unknown;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
