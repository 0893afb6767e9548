<?php
// aozrun interop peer: the café used by the "Exchanges between machines" chapter,
// written independently of the TypeScript playground (src/playground/server.ts) with the
// same contract, so a BASIC program can be pointed at either one with --map.
//
//   GET  get.php?request=coffee              -> 200 text/plain, one sentence
//   POST get.php  (form body request=coffee)  -> same; the query is used when the body has none
//   unknown or missing item                   -> 404 text/plain, one sentence naming the item
//   any other method                          -> 405
//
// Run it with:  php -S 127.0.0.1:8080 -t test/interop/peers/php

declare(strict_types=1);

const CAFE_MENU = [
    'coffee' => 'One coffee, freshly brewed: enjoy it on the terrace!',
    'chocolate' => 'One hot chocolate, with a little extra cocoa on top!',
    'croissant' => 'One croissant, still warm from the oven!',
];
const MAX_ITEM_CHARS = 60;

function reply(int $status, string $text, array $headers = []): void
{
    http_response_code($status);
    header('Content-Type: text/plain; charset=utf-8');
    header('Access-Control-Allow-Origin: *');
    header('Cache-Control: no-store');
    foreach ($headers as $h) {
        header($h);
    }
    echo $text; // one line, no trailing newline
}

/** Keeps an echoed item on one line and short. */
function printable_item(string $item): string
{
    $flat = preg_replace('/[\x00-\x1F\x7F]+/', ' ', $item) ?? $item;
    if (preg_match('/^(.{' . MAX_ITEM_CHARS . '})./su', $flat, $m) === 1) {
        return $m[1] . '...';
    }
    return $flat;
}

$method = strtoupper($_SERVER['REQUEST_METHOD'] ?? 'GET');
if ($method !== 'GET' && $method !== 'HEAD' && $method !== 'POST') {
    reply(405, 'method not allowed', ['Allow: GET, HEAD, POST']);
    exit;
}

$value = $_GET['request'] ?? null;
if ($method === 'POST' && array_key_exists('request', $_POST)) {
    $value = $_POST['request'];
}
// request[]=... (an array) counts as no order at all
$item = is_string($value) ? trim($value) : '';
$key = strtolower($item);

if (array_key_exists($key, CAFE_MENU)) {
    reply(200, CAFE_MENU[$key]);
} elseif ($item === '') {
    reply(404, 'Sorry, an empty order is not on the menu (we serve coffee, chocolate and croissant).');
} else {
    reply(404, 'Sorry, "' . printable_item($item) . '" is not on the menu (we serve coffee, chocolate and croissant).');
}
