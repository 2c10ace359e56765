// A broken fixture: a line in a code list that is not NAME = "Code".

package v20210101

// Go
// 可能返回的错误码:
//  FAILEDOPERATION = "FailedOperation"
//  not a constant
func (c *Client) Go(request *GoRequest) (response *GoResponse, err error) {
    return
}
